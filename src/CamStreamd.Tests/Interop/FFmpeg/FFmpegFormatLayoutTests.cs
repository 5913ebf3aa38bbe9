using CamStreamd.Interop.FFmpeg;

namespace CamStreamd.Tests.Interop.FFmpeg;

/// <summary>
/// Compiles an <c>offsetof</c> probe with gcc against the libavformat headers (libavformat-dev)
/// and compares it to <see cref="FFmpegFormatLayout"/>: on the host (FFmpeg 5.1, libavformat 59),
/// and for 61 (FFmpeg 7.1) in the Debian 13 root of tests/trixie/make-root.sh with the
/// libavformat-dev headers of Debian 13 unpacked next to the probe (<c>apt-get download</c> and
/// <c>dpkg -x</c> inside the root; nothing is installed in it).
/// </summary>
public sealed class FFmpegFormatLayoutTests
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

    [Fact]
    public void Table_matches_offsetof_in_the_installed_libavformat_headers()
    {
        var probe = FFmpegHeaderProbe.RunHere(Probe, "the Debian package libavformat-dev");

        // Headers and runtime library come from the same release.
        Assert.Equal((int)(LibAvFormat.avformat_version() >> 16), probe["LIBAVFORMAT_VERSION_MAJOR"]);
        AssertMatchesTable(probe);
    }

    [Fact]
    public void Table_for_61_matches_offsetof_in_a_debian_trixie_root()
    {
        // Debian 13's libavformat-dev unpacked next to the probe (apt-get download, dpkg -x): nothing is installed in the root.
        var probe = FFmpegHeaderProbe.RunInTrixieRoot(Probe, "apt-get download -q libavformat-dev && dpkg -x libavformat-dev_*.deb inc", "inc/usr/include/x86_64-linux-gnu");
        Assert.Equal(61, probe["LIBAVFORMAT_VERSION_MAJOR"]);
        AssertMatchesTable(probe);
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
}
