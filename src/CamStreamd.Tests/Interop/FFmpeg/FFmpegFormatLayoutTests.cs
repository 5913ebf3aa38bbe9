using System.Globalization;
using CamStreamd.Interop.FFmpeg;

namespace CamStreamd.Tests.Interop.FFmpeg;

/// <summary>
/// Compiles an <c>offsetof</c> probe with gcc against the libavformat headers (libavformat-dev)
/// and compares it to <see cref="FFmpegFormatLayout"/>: on the host (FFmpeg 5.1, libavformat 59),
/// and for 61 (FFmpeg 7.1) in the Debian 13 root of tests/trixie/make-root.sh with the
/// libavformat-dev headers of Debian 13 unpacked next to the probe (<c>apt-get download</c> and
/// <c>dpkg -x</c> inside the root; nothing is installed in it).
/// </summary>
public sealed class FFmpegFormatLayoutTests : IDisposable
{
    private const string Probe = """
        #include <stdio.h>
        #include <stddef.h>
        #include <libavformat/avformat.h>
        #include <libavformat/avio.h>
        #include <libavcodec/avcodec.h>
        #define OFF(t, f) printf(#t "." #f " %zu\n", offsetof(t, f))
        #define CONST(c) printf("const." #c " %d\n", (int)(c))
        int main(void)
        {
            printf("LIBAVFORMAT_VERSION_MAJOR %d\n", LIBAVFORMAT_VERSION_MAJOR);
            OFF(AVFormatContext, pb); OFF(AVStream, time_base); OFF(AVStream, codecpar);
            OFF(AVCodecParameters, codec_type); OFF(AVCodecParameters, codec_id); OFF(AVCodecParameters, extradata);
            OFF(AVCodecParameters, extradata_size); OFF(AVCodecParameters, width); OFF(AVCodecParameters, height);
            OFF(AVPacket, dts); OFF(AVPacket, stream_index);
            CONST(AVIO_FLAG_WRITE); CONST(AVMEDIA_TYPE_VIDEO); CONST(AV_CODEC_ID_H264); CONST(AV_INPUT_BUFFER_PADDING_SIZE);
            return 0;
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-lavf-probe-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Table_matches_offsetof_in_the_installed_libavformat_headers()
    {
        var source = Path.Combine(_directory, "probe.c");
        var binary = Path.Combine(_directory, "probe");
        File.WriteAllText(source, Probe);
        var compile = PeerProcess.Run("gcc", ["-std=gnu11", "-w", "-o", binary, source], "gcc");
        Assert.True(
            compile.ExitCode == 0,
            compile.StandardError.Contains("No such file", StringComparison.Ordinal)
                ? $"libavformat headers missing: install the Debian package libavformat-dev.\n{compile.StandardError}"
                : $"gcc failed on the libavformat probe:\n{compile.StandardError}");
        var run = PeerProcess.Run(binary, [], "(built by the test)");
        Assert.Equal(0, run.ExitCode);
        var probe = Parse(run.StandardOutput);

        // Headers and runtime library come from the same release.
        Assert.Equal((int)(LibAvFormat.avformat_version() >> 16), probe["LIBAVFORMAT_VERSION_MAJOR"]);
        AssertMatchesTable(probe);
    }

    [Fact]
    public void Table_for_61_matches_offsetof_in_a_debian_trixie_root()
    {
        var script = Path.Combine(CLayoutProbe.RepositoryRoot, "tests", "trixie", "make-root.sh");
        var make = PeerProcess.Run(script, [], "debootstrap", TimeSpan.FromMinutes(15));
        Assert.True(make.ExitCode == 0, $"{script} exit {make.ExitCode} (needs root and the Debian package debootstrap):\n{make.StandardError}");
        var root = make.StandardOutput.Trim();
        var directory = Path.Combine(root, "tmp", $"camstreamd-lavf-probe-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        try
        {
            var inside = "/tmp/" + Path.GetFileName(directory);
            File.WriteAllText(Path.Combine(directory, "probe.c"), Probe);
            var fetch = PeerProcess.Run("chroot", [root, "sh", "-c", $"cd {inside} && apt-get download -q libavformat-dev && dpkg -x libavformat-dev_*.deb inc"], "coreutils", TimeSpan.FromMinutes(5));
            Assert.True(fetch.ExitCode == 0, $"apt-get download libavformat-dev in {root} failed:\n{fetch.StandardOutput}\n{fetch.StandardError}");
            var compile = PeerProcess.Run("chroot", [root, "gcc", "-std=gnu11", "-w", "-I", inside + "/inc/usr/include/x86_64-linux-gnu", "-o", inside + "/probe", inside + "/probe.c"], "coreutils");
            Assert.True(compile.ExitCode == 0, $"gcc in {root} failed:\n{compile.StandardError}");
            var run = PeerProcess.Run("chroot", [root, inside + "/probe"], "coreutils");
            Assert.True(run.ExitCode == 0, run.StandardError);
            var probe = Parse(run.StandardOutput);
            Assert.Equal(61, probe["LIBAVFORMAT_VERSION_MAJOR"]);
            AssertMatchesTable(probe);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void AssertMatchesTable(Dictionary<string, long> probe)
    {
        var major = (int)probe["LIBAVFORMAT_VERSION_MAJOR"];
        var layout = FFmpegFormatLayout.ForMajor(major);
        Assert.True(layout is not null, $"no libavformat layout table for major {major}");
        foreach (var (name, offset) in layout.Offsets())
        {
            Assert.True(probe.TryGetValue(name, out var actual), $"probe did not print {name}");
            Assert.True(offset == actual, $"{name}: table says {offset}, headers of libavformat {major} say {actual}");
        }

        Assert.Equal(LibAvFormat.AVIO_FLAG_WRITE, probe["const.AVIO_FLAG_WRITE"]);
        Assert.Equal(0, probe["const.AVMEDIA_TYPE_VIDEO"]);
        Assert.Equal(27, probe["const.AV_CODEC_ID_H264"]);
        Assert.Equal(64, probe["const.AV_INPUT_BUFFER_PADDING_SIZE"]);
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
