using System.Text.Json;
using System.Text.RegularExpressions;
using CamStreamd.Configuration;

namespace CamStreamd.Tests.Packaging;

/// <summary>
/// The two .debs that <c>./build.sh deb</c> makes (NativeAOT amd64 and arm64, <see cref="AotDebFixture"/>):
/// lintian finds no errors, the files are where Debian and the unit expect them, neither depends
/// on a .NET runtime while both depend on what the binary loads (libc, libssl, FFmpeg), each
/// binary is of its architecture and links nothing but libc, and the default config and the
/// README's example validate against the JSON schema.
/// </summary>
[Collection(PackagingGroup.Name)]
public sealed partial class DebPackageTests(AotDebFixture package)
{
    private readonly AotDebFixture _package = package;

    [Fact]
    public void Lintian_reports_no_errors()
    {
        var result = PeerProcess.Run("lintian", ["--tag-display-limit", "0", .. _package.DebPaths], "lintian", TimeSpan.FromMinutes(3));
        var errors = result.StandardOutput.Split('\n').Where(l => l.StartsWith("E: ", StringComparison.Ordinal)).ToList();
        Console.WriteLine($"lintian: {errors.Count} error(s)\n{result.StandardOutput}");
        Assert.True(result.ExitCode is 0 or 1 && result.StandardError.Trim().Length < 200, $"lintian did not run:\n{result.StandardError}");
        Assert.True(errors.Count == 0, $"lintian:\n{result.StandardOutput}\n{result.StandardError}");
    }

    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public void Package_holds_one_native_binary_the_unit_the_conffile_and_the_schema(string arch)
    {
        var deb = Deb(arch);
        var contents = Dpkg("--contents", deb);
        var conffiles = Dpkg("--info", deb, "conffiles");

        foreach (var path in new[]
        {
            "./usr/bin/camstreamd", "./lib/systemd/system/camstreamd.service",
            "./etc/camstreamd.json", "./usr/share/camstreamd/camstreamd.schema.json",
            "./usr/share/doc/camstreamd/copyright", "./usr/share/doc/camstreamd/changelog.Debian.gz",
        })
        {
            Assert.Contains(" " + path + "\n", contents, StringComparison.Ordinal);
        }

        // No managed assemblies, no runtime libraries: the one binary is all there is.
        Assert.DoesNotContain(".dll", contents, StringComparison.Ordinal);
        Assert.DoesNotContain("libcoreclr", contents, StringComparison.Ordinal);
        Assert.Equal("/etc/camstreamd.json", conffiles.Trim());
        Assert.Equal(arch, Dpkg("--field", deb, "Architecture").Trim());
    }

    [Theory]
    [InlineData("amd64")]
    [InlineData("arm64")]
    public void Depends_names_what_the_binary_loads_and_no_dotnet_runtime(string arch)
    {
        var info = Dpkg("--info", Deb(arch));
        var depends = Dpkg("--field", Deb(arch), "Depends").Trim();
        Console.WriteLine($"{arch}: Depends: {depends}");

        foreach (var dotnet in new[] { "dotnet", "aspnetcore", "netcore", "libicu", "libstdc++", "liblttng" })
        {
            Assert.DoesNotContain(dotnet, info, StringComparison.OrdinalIgnoreCase);
        }

        var glibc = GlibcVersion().Match(depends);
        Assert.True(glibc.Success, $"no versioned libc6 dependency: {depends}");
        Assert.Equal(NewestGlibcSymbol(Binary(arch)), new Version(glibc.Groups[1].Value));
        Assert.Contains("libssl3 | libssl3t64", depends, StringComparison.Ordinal);
        Assert.Contains("libx264-164", depends, StringComparison.Ordinal);
        Assert.Contains("libavcodec59 | libavcodec60 | libavcodec61", depends, StringComparison.Ordinal);
        Assert.Contains("libavutil57 | libavutil58 | libavutil59", depends, StringComparison.Ordinal);
        Assert.Contains("libswscale6 | libswscale7 | libswscale8", depends, StringComparison.Ordinal);
        Assert.Contains("adduser", depends, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("amd64", "x86-64")]
    [InlineData("arm64", "ARM aarch64")]
    public void Binary_is_of_its_architecture_and_links_only_libc(string arch, string machine)
    {
        var binary = Binary(arch);
        var file = PeerProcess.Run("file", ["-b", binary], "file").StandardOutput;
        Console.WriteLine($"{arch}: {file.Trim()}");
        Assert.StartsWith("ELF 64-bit LSB pie executable, " + machine + ",", file, StringComparison.Ordinal);
        Assert.Contains("stripped", file, StringComparison.Ordinal);
        Assert.DoesNotContain("not stripped", file, StringComparison.Ordinal);

        // Linked libraries: libc's alone (the loader, libc, libm), all in libc6. Everything
        // else is opened at run time and listed in Depends (the test above).
        var needed = PeerProcess.Run("readelf", ["-d", "-W", binary], "binutils").StandardOutput
            .Split('\n').Where(l => l.Contains("(NEEDED)", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf('[', StringComparison.Ordinal) + 1)..l.IndexOf(']', StringComparison.Ordinal)]).Order(StringComparer.Ordinal).ToList();
        var loader = arch == "amd64" ? "ld-linux-x86-64.so.2" : "ld-linux-aarch64.so.1";
        Assert.Equal(new[] { loader, "libc.so.6", "libm.so.6" }.Order(StringComparer.Ordinal), needed);
    }

    [Fact]
    public void Amd64_binary_runs_here_without_a_dotnet_runtime()
    {
        // An empty environment: no DOTNET_ROOT, and PATH without dotnet.
        var result = PeerProcess.Run("/usr/bin/env", ["-i", "PATH=/usr/bin:/bin", Binary("amd64"), "--version"], "coreutils");
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.StartsWith(BuildInfo.Version.Split('+')[0], result.StandardOutput.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void Default_config_is_valid_and_runs_the_test_pattern()
    {
        var result = ConfigLoader.LoadFile(Path.Combine(CLayoutProbe.RepositoryRoot, "packaging", "debian", "camstreamd.json"));

        Assert.Equal(("cam0", SourceTypes.TestPattern), (result.Options.Streams[0].Name, result.Options.Streams[0].Source.Type));
    }

    [Fact]
    public void Default_config_and_the_readme_example_validate_against_the_schema()
    {
        var readme = File.ReadAllText(Path.Combine(CLayoutProbe.RepositoryRoot, "README.md"));
        var example = ReadmeConfigExample().Match(readme);
        Assert.True(example.Success, "README.md has no ```json block with \"streams\" in its install section");
        var examplePath = Path.Combine(_package.Scratch, "readme-example.json");
        File.WriteAllText(examplePath, example.Groups[1].Value);
        ConfigLoader.LoadFile(examplePath); // the daemon accepts it too

        foreach (var config in new[] { Path.Combine(CLayoutProbe.RepositoryRoot, "packaging", "debian", "camstreamd.json"), examplePath })
        {
            var result = PeerProcess.Run(
                "/usr/bin/python3",
                ["-c", "import json,sys,jsonschema; jsonschema.Draft202012Validator.check_schema(s:=json.load(open(sys.argv[1]))); jsonschema.Draft202012Validator(s).validate(json.load(open(sys.argv[2]))); print('valid')", SchemaPath, config],
                "python3-jsonschema");
            Assert.True(result.ExitCode == 0 && result.StandardOutput.Trim() == "valid", $"{config}:\n{result.StandardError}");
        }

        // And the schema rejects what the daemon rejects: an unknown key.
        var bad = Path.Combine(_package.Scratch, "bad.json");
        File.WriteAllText(bad, """{ "streams": [ { "name": "a", "source": { "type": "testPattern" }, "bogus": 1 } ] }""");
        var rejected = PeerProcess.Run("/usr/bin/python3", ["-c", "import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))", SchemaPath, bad], "python3-jsonschema");
        Assert.NotEqual(0, rejected.ExitCode);
    }

    [Fact]
    public void Schema_has_exactly_the_keys_of_the_options_records()
    {
        using var schema = JsonDocument.Parse(File.ReadAllText(SchemaPath));
        var fromSchema = new SortedSet<string>(StringComparer.Ordinal);
        Collect(schema.RootElement, "", fromSchema);

        var fromRecords = new SortedSet<string>(StringComparer.Ordinal);
        Collect(CamStreamdJsonContext.Default.GetTypeInfo(typeof(CamStreamdOptions))!, "", fromRecords, 0);

        Assert.Equal(fromRecords, fromSchema);
    }

    private static string SchemaPath => Path.Combine(CLayoutProbe.RepositoryRoot, "packaging", "debian", "camstreamd.schema.json");

    private static string Dpkg(params string[] arguments) => PeerProcess.Run("dpkg-deb", arguments, "dpkg").StandardOutput;

    private string Deb(string arch) => arch == "amd64" ? _package.Amd64DebPath : _package.Arm64DebPath;

    private string Binary(string arch) => _package.ExtractBinary(arch);

    private static Version NewestGlibcSymbol(string binary) =>
        GlibcSymbolVersion().Matches(PeerProcess.Run("readelf", ["-V", "-W", binary], "binutils").StandardOutput)
            .Select(m => new Version(m.Groups[1].Value)).Max()!;

    private static void Collect(JsonElement schema, string prefix, SortedSet<string> keys)
    {
        if (schema.TryGetProperty("properties", out var properties))
        {
            foreach (var property in properties.EnumerateObject())
            {
                var key = prefix + property.Name;
                keys.Add(key);
                Collect(property.Value, key + ".", keys);
            }
        }

        if (schema.TryGetProperty("items", out var items))
        {
            Collect(items, prefix.TrimEnd('.') + "[].", keys);
        }
    }

    private static void Collect(System.Text.Json.Serialization.Metadata.JsonTypeInfo info, string prefix, SortedSet<string> keys, int depth)
    {
        Assert.True(depth < 8);
        foreach (var property in info.Properties)
        {
            var key = prefix + property.Name;
            keys.Add(key);
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            // A list is IReadOnlyList<T> itself or a class implementing it (streams[].publish is a PublishTargetList).
            var list = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>)
                ? type
                : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyList<>));
            var element = list?.GetGenericArguments()[0];
            if (element is not null && element.Namespace == typeof(CamStreamdOptions).Namespace)
            {
                Collect(CamStreamdJsonContext.Default.GetTypeInfo(element)!, key + "[].", keys, depth + 1);
            }
            else if (type.Namespace == typeof(CamStreamdOptions).Namespace && type.IsClass)
            {
                Collect(CamStreamdJsonContext.Default.GetTypeInfo(type)!, key + ".", keys, depth + 1);
            }
        }
    }

    [GeneratedRegex(@"libc6 \(>= ([0-9.]+)\)")]
    private static partial Regex GlibcVersion();

    [GeneratedRegex(@"GLIBC_([0-9]+\.[0-9]+(?:\.[0-9]+)?)")]
    private static partial Regex GlibcSymbolVersion();

    [GeneratedRegex("""```json\s*\n(\{[^`]*"streams"[^`]*\})\s*```""")]
    private static partial Regex ReadmeConfigExample();
}
