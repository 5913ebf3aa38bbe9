namespace CamStreamd.Tests.Packaging;

/// <summary>
/// The two packages users install, NativeAOT amd64 and arm64, built once per test run by the real
/// build script (<c>packaging/debian/build-deb.sh</c>, as <c>./build.sh deb</c> runs it): each
/// AOT publish takes one to three minutes on a 2-core machine, so every packaging test shares
/// this one build. <c>CAMSTREAMD_DEB_DIR=DIR</c> uses packages built beforehand instead (both
/// <c>camstreamd_*_amd64.deb</c> and <c>camstreamd_*_arm64.deb</c> of this checkout).
/// </summary>
public sealed class AotDebFixture : IDisposable
{
    private readonly string? _owned;
    private readonly Lock _extractLock = new();

    /// <summary>Builds both into a temp directory, or takes <c>CAMSTREAMD_DEB_DIR</c>.</summary>
    public AotDebFixture()
    {
        Scratch = Directory.CreateTempSubdirectory("camstreamd-deb-scratch-").FullName;
        var given = Environment.GetEnvironmentVariable("CAMSTREAMD_DEB_DIR");
        string directory;
        if (!string.IsNullOrEmpty(given))
        {
            directory = Path.GetFullPath(given);
        }
        else
        {
            _owned = directory = Directory.CreateTempSubdirectory("camstreamd-deb-").FullName;
            var script = Path.Combine(CLayoutProbe.RepositoryRoot, "packaging", "debian", "build-deb.sh");
            var started = System.Diagnostics.Stopwatch.StartNew();
            var result = PeerProcess.Run("/bin/sh", ["-c", $"DEB_ARCH='amd64 arm64' DEB_OUT={directory} {script}"], "dpkg", TimeSpan.FromMinutes(20));
            BuildSeconds = started.Elapsed.TotalSeconds;
            Assert.True(result.ExitCode == 0 && !result.TimedOut, $"build-deb.sh failed ({result.ExitCode}, timed out {result.TimedOut}):\n{result.StandardOutput}\n{result.StandardError}");
        }

        Amd64DebPath = Find(directory, "amd64");
        Arm64DebPath = Find(directory, "arm64");
    }

    /// <summary>The amd64 package.</summary>
    public string Amd64DebPath { get; }

    /// <summary>The arm64 package.</summary>
    public string Arm64DebPath { get; }

    /// <summary>Both packages.</summary>
    public IReadOnlyList<string> DebPaths => [Amd64DebPath, Arm64DebPath];

    /// <summary>A scratch directory for the tests (deleted at the end).</summary>
    public string Scratch { get; }

    /// <summary>How long building both took (0 when given).</summary>
    public double BuildSeconds { get; }

    /// <summary>The package's <c>/usr/bin/camstreamd</c> for <paramref name="arch"/>, extracted once into <see cref="Scratch"/>.</summary>
    public string ExtractBinary(string arch)
    {
        var deb = arch == "amd64" ? Amd64DebPath : Arm64DebPath;
        var path = Path.Combine(Scratch, "camstreamd-" + arch);
        lock (_extractLock)
        {
            if (!File.Exists(path))
            {
                var result = PeerProcess.Run("/bin/sh", ["-c", $"dpkg-deb --fsys-tarfile '{deb}' | tar -xO ./usr/bin/camstreamd > '{path}.part' && chmod 755 '{path}.part' && mv '{path}.part' '{path}'"], "dpkg");
                Assert.True(result.ExitCode == 0, result.StandardError);
            }
        }

        return path;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Directory.Delete(Scratch, recursive: true);
        if (_owned is not null)
        {
            Directory.Delete(_owned, recursive: true);
        }
    }

    private static string Find(string directory, string arch)
    {
        var found = Directory.GetFiles(directory, $"camstreamd_*_{arch}.deb");
        Assert.True(found.Length == 1, $"expected one camstreamd_*_{arch}.deb in {directory}, found {found.Length}");
        return found[0];
    }
}
