namespace CamStreamd.Tests.Packaging;

/// <summary>
/// The amd64 package users install (<c>./build.sh deb</c>'s default: self-contained, the .NET
/// runtime inside), built once per test run with the real build script; publishing takes a few
/// minutes. <c>CAMSTREAMD_SC_DEB=PATH</c> uses a package built beforehand instead (it must be the
/// self-contained amd64 one of this checkout).
/// </summary>
public sealed class SelfContainedDebFixture : IDisposable
{
    private readonly string? _directory;

    /// <summary>Builds it into a temp directory, or takes <c>CAMSTREAMD_SC_DEB</c>.</summary>
    public SelfContainedDebFixture()
    {
        var given = Environment.GetEnvironmentVariable("CAMSTREAMD_SC_DEB");
        if (!string.IsNullOrEmpty(given))
        {
            Assert.True(File.Exists(given), $"CAMSTREAMD_SC_DEB={given} does not exist");
            DebPath = Path.GetFullPath(given);
            return;
        }

        _directory = Directory.CreateTempSubdirectory("camstreamd-scdeb-").FullName;
        var script = Path.Combine(CLayoutProbe.RepositoryRoot, "packaging", "debian", "build-deb.sh");
        var result = PeerProcess.Run("/bin/sh", ["-c", $"DEB_ARCH=amd64 DEB_FLAVOR=self-contained DEB_OUT={_directory} {script}"], "dpkg", TimeSpan.FromMinutes(15));
        Assert.True(result.ExitCode == 0 && !result.TimedOut, $"build-deb.sh (self-contained) failed ({result.ExitCode}, timed out {result.TimedOut}):\n{result.StandardOutput}\n{result.StandardError}");
        DebPath = result.StandardOutput.Trim().Split('\n')[^1];
        Assert.True(File.Exists(DebPath), $"build-deb.sh printed {DebPath}, which does not exist");

        // Only the .deb is needed; the staging tree is a second copy of the runtime.
        var staging = Path.Combine(_directory, "root-amd64");
        if (Directory.Exists(staging))
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>The built (or given) package.</summary>
    public string DebPath { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
