using System.Text.Json;
using System.Text.RegularExpressions;
using CamStreamd.Configuration;

namespace CamStreamd.Tests.Packaging;

/// <summary>
/// The .deb that <c>./build.sh deb</c> makes (framework-dependent flavor here: the self-contained
/// amd64 one takes minutes to publish; set CAMSTREAMD_DEB to lint a built one too): lintian finds
/// no errors, the files are where Debian and the unit expect them, and the default config and the
/// README's example validate against the JSON schema.
/// </summary>
[Collection(PackagingGroup.Name)]
public sealed partial class DebPackageTests : IClassFixture<DebPackageFixture>
{
    private readonly DebPackageFixture _package;

    public DebPackageTests(DebPackageFixture package) => _package = package;

    [Fact]
    public void Lintian_reports_no_errors()
    {
        foreach (var deb in new[] { _package.DebPath, Environment.GetEnvironmentVariable("CAMSTREAMD_DEB") }.OfType<string>().Where(p => p.Length > 0))
        {
            var result = PeerProcess.Run("lintian", ["--tag-display-limit", "0", deb], "lintian", TimeSpan.FromMinutes(3));
            var errors = result.StandardOutput.Split('\n').Where(l => l.StartsWith("E: ", StringComparison.Ordinal)).ToList();
            Console.WriteLine($"lintian {Path.GetFileName(deb)}: {errors.Count} error(s)\n{result.StandardOutput}");
            Assert.True(errors.Count == 0, $"lintian {deb}:\n{result.StandardOutput}\n{result.StandardError}");
        }
    }

    [Fact]
    public void Package_holds_the_binary_the_unit_the_conffile_and_the_schema()
    {
        var contents = Dpkg("--contents", _package.DebPath);
        var conffiles = Dpkg("--info", _package.DebPath, "conffiles");
        var control = Dpkg("--field", _package.DebPath);

        foreach (var path in new[]
        {
            "./usr/bin/camstreamd", "./usr/lib/camstreamd/camstreamd.dll", "./lib/systemd/system/camstreamd.service",
            "./etc/camstreamd.json", "./usr/share/camstreamd/camstreamd.schema.json",
            "./usr/share/doc/camstreamd/copyright", "./usr/share/doc/camstreamd/changelog.Debian.gz",
        })
        {
            Assert.Contains(" " + path, contents, StringComparison.Ordinal);
        }

        Assert.Equal("/etc/camstreamd.json", conffiles.Trim());
        Assert.Contains("libavcodec59 | libavcodec60 | libavcodec61", control, StringComparison.Ordinal);
        Assert.Contains("adduser", control, StringComparison.Ordinal);
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
        var examplePath = Path.Combine(_package.Directory, "readme-example.json");
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
        var bad = Path.Combine(_package.Directory, "bad.json");
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

    [GeneratedRegex("""```json\s*\n(\{[^`]*"streams"[^`]*\})\s*```""")]
    private static partial Regex ReadmeConfigExample();
}
