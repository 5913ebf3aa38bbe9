using System.Globalization;
using CamStreamd.Interop.FFmpeg;

namespace CamStreamd.Tests.Interop.FFmpeg;

/// <summary>
/// Compiles an <c>offsetof</c> probe with gcc against the FFmpeg headers and compares it to the
/// layout table and constants. Needs gcc and libavcodec-dev/libavutil-dev: missing ones fail the
/// test with what to install. Extra header trees (e.g. FFmpeg 7.1 headers unpacked from Debian 13
/// packages) can be checked too: CAMSTREAMD_FFMPEG_EXTRA_INCLUDES=dir1:dir2.
/// </summary>
public sealed class FFmpegLayoutTests : IDisposable
{
    private const string Probe = """
        #include <stdio.h>
        #include <stddef.h>
        #include <libavcodec/avcodec.h>
        #include <libavutil/frame.h>
        #include <libavutil/opt.h>
        #define OFF(t, f) printf(#t "." #f " %zu\n", offsetof(t, f))
        int main(void)
        {
            printf("LIBAVCODEC_VERSION_MAJOR %d\n", LIBAVCODEC_VERSION_MAJOR);
            OFF(AVFrame, data); OFF(AVFrame, linesize); OFF(AVFrame, width); OFF(AVFrame, height);
            OFF(AVFrame, format); OFF(AVFrame, pict_type); OFF(AVFrame, pts);
            OFF(AVPacket, pts); OFF(AVPacket, data); OFF(AVPacket, size); OFF(AVPacket, flags);
            printf("sizeof.AVRational %zu\n", sizeof(AVRational));
            printf("const.AV_OPT_SEARCH_CHILDREN %d\n", AV_OPT_SEARCH_CHILDREN);
            printf("const.AV_PKT_FLAG_KEY %d\n", AV_PKT_FLAG_KEY);
            printf("const.AV_PICTURE_TYPE_NONE %d\n", (int)AV_PICTURE_TYPE_NONE);
            printf("const.AV_PICTURE_TYPE_I %d\n", (int)AV_PICTURE_TYPE_I);
            printf("const.AV_PIX_FMT_YUV420P %d\n", (int)AV_PIX_FMT_YUV420P);
            printf("const.AVERROR_EAGAIN %d\n", AVERROR(EAGAIN));
            printf("const.AVERROR_EINVAL %d\n", AVERROR(EINVAL));
            printf("const.AVERROR_ENOMEM %d\n", AVERROR(ENOMEM));
            printf("const.AVERROR_EOF %d\n", AVERROR_EOF);
            printf("const.AV_LOG_WARNING %d\n", AV_LOG_WARNING);
            return 0;
        }
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-ffprobe-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Table_matches_offsetof_in_the_installed_headers()
    {
        var probe = RunProbe(includeDirectory: null);

        // Headers and runtime library come from the same FFmpeg release on a consistent install.
        Assert.Equal(FFmpegLibraries.EnsureLoaded().AvcodecMajor, probe["LIBAVCODEC_VERSION_MAJOR"]);
        AssertMatchesTable(probe);
    }

    [Fact]
    public void Table_matches_extra_header_trees_when_given()
    {
        var extra = Environment.GetEnvironmentVariable("CAMSTREAMD_FFMPEG_EXTRA_INCLUDES");
        foreach (var directory in (extra ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            AssertMatchesTable(RunProbe(directory));
        }
    }

    private static void AssertMatchesTable(Dictionary<string, long> probe)
    {
        var major = (int)probe["LIBAVCODEC_VERSION_MAJOR"];
        var layout = FFmpegLayout.ForMajor(major);
        Assert.True(layout is not null, $"no layout table for libavcodec major {major}");
        foreach (var (name, offset) in layout.Offsets())
        {
            Assert.True(probe.TryGetValue(name, out var actual), $"probe did not print {name}");
            Assert.True(offset == actual, $"{name}: table says {offset}, headers of major {major} say {actual}");
        }

        Assert.Equal(8, probe["sizeof.AVRational"]);
        Assert.Equal(FFmpegConstants.AV_OPT_SEARCH_CHILDREN, probe["const.AV_OPT_SEARCH_CHILDREN"]);
        Assert.Equal(FFmpegConstants.AV_PKT_FLAG_KEY, probe["const.AV_PKT_FLAG_KEY"]);
        Assert.Equal(FFmpegConstants.AV_PICTURE_TYPE_NONE, probe["const.AV_PICTURE_TYPE_NONE"]);
        Assert.Equal(FFmpegConstants.AV_PICTURE_TYPE_I, probe["const.AV_PICTURE_TYPE_I"]);
        Assert.Equal(FFmpegConstants.AV_PIX_FMT_YUV420P, probe["const.AV_PIX_FMT_YUV420P"]);
        Assert.Equal(FFmpegConstants.AVERROR_EAGAIN, probe["const.AVERROR_EAGAIN"]);
        Assert.Equal(FFmpegConstants.AVERROR_EINVAL, probe["const.AVERROR_EINVAL"]);
        Assert.Equal(FFmpegConstants.AVERROR_ENOMEM, probe["const.AVERROR_ENOMEM"]);
        Assert.Equal(FFmpegConstants.AVERROR_EOF, probe["const.AVERROR_EOF"]);
        Assert.Equal(FFmpegConstants.AV_LOG_WARNING, probe["const.AV_LOG_WARNING"]);
    }

    private Dictionary<string, long> RunProbe(string? includeDirectory)
    {
        var source = Path.Combine(_directory, "probe.c");
        var binary = Path.Combine(_directory, "probe");
        File.WriteAllText(source, Probe);

        // gcc searches /usr/include/<multiarch> by default, where Debian puts the FFmpeg headers.
        List<string> arguments = ["-std=gnu11", "-w", "-o", binary, source];
        if (includeDirectory is not null)
        {
            arguments.InsertRange(0, ["-I", includeDirectory]);
        }

        var compile = PeerProcess.Run("gcc", arguments, "gcc");
        Assert.True(
            compile.ExitCode == 0,
            compile.StandardError.Contains("No such file", StringComparison.Ordinal)
                ? $"FFmpeg headers missing: install the Debian packages libavcodec-dev and libavutil-dev.\n{compile.StandardError}"
                : $"gcc failed on the layout probe:\n{compile.StandardError}");

        var run = PeerProcess.Run(binary, [], "(built by the test)");
        Assert.Equal(0, run.ExitCode);
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ');
            values[parts[0]] = long.Parse(parts[1], CultureInfo.InvariantCulture);
        }

        return values;
    }
}
