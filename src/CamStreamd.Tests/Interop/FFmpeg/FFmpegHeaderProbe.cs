using System.Globalization;

namespace CamStreamd.Tests.Interop.FFmpeg;

/// <summary>
/// Compiles and runs an <c>offsetof</c> probe against FFmpeg headers, which prints <c>name value</c>
/// lines: with this machine's gcc and headers, or inside the Debian 13 root of
/// tests/trixie/make-root.sh (FFmpeg 7.1; made once, cached), so both layout tables are checked
/// against real headers of each FFmpeg release they claim.
/// </summary>
internal static class FFmpegHeaderProbe
{
    /// <summary>Runs <paramref name="source"/> built here (gcc finds Debian's FFmpeg headers under /usr/include/&lt;multiarch&gt;), with <paramref name="includeDirectory"/> searched first when given.</summary>
    public static Dictionary<string, long> RunHere(string source, string missingHeaders, string? includeDirectory = null)
    {
        var directory = Directory.CreateTempSubdirectory("camstreamd-ffmpeg-probe-").FullName;
        try
        {
            var file = Path.Combine(directory, "probe.c");
            var binary = Path.Combine(directory, "probe");
            File.WriteAllText(file, source);
            var compile = PeerProcess.Run("gcc", [.. includeDirectory is null ? Array.Empty<string>() : ["-I", includeDirectory], "-std=gnu11", "-w", "-o", binary, file], "gcc");
            Assert.True(
                compile.ExitCode == 0,
                compile.StandardError.Contains("No such file", StringComparison.Ordinal)
                    ? $"FFmpeg headers missing: install {missingHeaders}.\n{compile.StandardError}"
                    : $"gcc failed on the layout probe:\n{compile.StandardError}");
            var run = PeerProcess.Run(binary, [], "(built by the test)");
            Assert.Equal(0, run.ExitCode);
            return Parse(run.StandardOutput);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>
    /// Runs <paramref name="source"/> built with the gcc of the Debian 13 root; <paramref name="prepare"/>,
    /// when given, runs first in the probe's directory inside the root (e.g. unpacking a -dev package
    /// there) and <paramref name="includeDirectory"/> (relative to that directory) is searched first.
    /// </summary>
    public static Dictionary<string, long> RunInTrixieRoot(string source, string? prepare = null, string? includeDirectory = null)
    {
        var script = Path.Combine(CLayoutProbe.RepositoryRoot, "tests", "trixie", "make-root.sh");
        var make = PeerProcess.Run(script, [], "debootstrap", TimeSpan.FromMinutes(15));
        Assert.True(make.ExitCode == 0, $"{script} exit {make.ExitCode} (needs root and the Debian package debootstrap):\n{make.StandardError}");
        var root = make.StandardOutput.Trim();
        var directory = Path.Combine(root, "tmp", $"camstreamd-ffmpeg-probe-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var inside = "/tmp/" + Path.GetFileName(directory);
            File.WriteAllText(Path.Combine(directory, "probe.c"), source);
            if (prepare is not null)
            {
                var prepared = PeerProcess.Run("chroot", [root, "sh", "-c", $"cd {inside} && {prepare}"], "coreutils", TimeSpan.FromMinutes(5));
                Assert.True(prepared.ExitCode == 0, $"'{prepare}' in {root} failed:\n{prepared.StandardOutput}\n{prepared.StandardError}");
            }

            var include = includeDirectory is null ? Array.Empty<string>() : ["-I", $"{inside}/{includeDirectory}"];
            var compile = PeerProcess.Run("chroot", [root, "gcc", "-std=gnu11", "-w", .. include, "-o", inside + "/probe", inside + "/probe.c"], "coreutils");
            Assert.True(compile.ExitCode == 0, $"gcc in {root} failed:\n{compile.StandardError}");
            var run = PeerProcess.Run("chroot", [root, inside + "/probe"], "coreutils");
            Assert.True(run.ExitCode == 0, run.StandardError);
            return Parse(run.StandardOutput);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static Dictionary<string, long> Parse(string output)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            values[parts[0]] = long.Parse(parts[1], CultureInfo.InvariantCulture);
        }

        return values;
    }
}
