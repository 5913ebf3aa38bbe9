namespace CamStreamd.Tests.Packaging;

/// <summary>Builds the framework-dependent .deb once for the package tests, with the real build script.</summary>
public sealed class DebPackageFixture : IDisposable
{
    /// <summary>Builds it into a temp directory.</summary>
    public DebPackageFixture()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("camstreamd-deb-").FullName;
        var script = Path.Combine(CLayoutProbe.RepositoryRoot, "packaging", "debian", "build-deb.sh");
        var result = RunScript(script);
        Assert.True(result.ExitCode == 0 && !result.TimedOut, $"build-deb.sh failed ({result.ExitCode}):\n{result.StandardOutput}\n{result.StandardError}");
        DebPath = result.StandardOutput.Trim().Split('\n')[^1];
        Assert.True(File.Exists(DebPath), $"build-deb.sh printed {DebPath}, which does not exist");
    }

    /// <summary>Scratch directory (holds the .deb).</summary>
    public string Directory { get; }

    /// <summary>The built package.</summary>
    public string DebPath { get; }

    /// <inheritdoc />
    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);

    private PeerProcess.Result RunScript(string script)
    {
        // The flavor and output directory go through the environment, as a user would pass them.
        var env = $"DEB_FLAVOR=framework-dependent DEB_OUT={Directory}";
        return PeerProcess.Run("/bin/sh", ["-c", $"{env} {script}"], "dpkg", TimeSpan.FromMinutes(5));
    }
}
