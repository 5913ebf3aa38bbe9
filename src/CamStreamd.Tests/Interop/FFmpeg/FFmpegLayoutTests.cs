using CamStreamd.Interop.FFmpeg;

namespace CamStreamd.Tests.Interop.FFmpeg;

/// <summary>
/// Compiles an <c>offsetof</c> probe with gcc against the FFmpeg headers and compares it to the
/// layout table and constants. Needs gcc and libavcodec-dev/libavutil-dev: missing ones fail the
/// test with what to install. Extra header trees (e.g. FFmpeg 7.1 headers unpacked from Debian 13
/// packages) can be checked too: CAMSTREAMD_FFMPEG_EXTRA_INCLUDES=dir1:dir2. The FFmpeg 7.1 table
/// is checked in a Debian 13 root made once by tests/trixie/make-root.sh (cached under
/// ~/.cache/camstreamd/trixie-root), where the probe is compiled and run with chroot.
/// </summary>
public sealed class FFmpegLayoutTests
{
    private const string MissingHeaders = "the Debian packages libavcodec-dev, libavutil-dev and libswscale-dev";

    private const string Probe = """
        #include <stdio.h>
        #include <stddef.h>
        #include <libavcodec/avcodec.h>
        #include <libavutil/frame.h>
        #include <libavutil/opt.h>
        #include <libavutil/hwcontext.h>
        #include <libavutil/buffer.h>
        #include <libswscale/swscale.h>
        #define OFF(t, f) printf(#t "." #f " %zu\n", offsetof(t, f))
        #define CONST(c) printf("const." #c " %d\n", (int)(c))
        int main(void)
        {
            printf("LIBAVCODEC_VERSION_MAJOR %d\n", LIBAVCODEC_VERSION_MAJOR);
            OFF(AVFrame, data); OFF(AVFrame, linesize); OFF(AVFrame, width); OFF(AVFrame, height);
            OFF(AVFrame, format); OFF(AVFrame, pict_type); OFF(AVFrame, pts); OFF(AVFrame, buf);
            OFF(AVPacket, pts); OFF(AVPacket, data); OFF(AVPacket, size); OFF(AVPacket, flags);
            OFF(AVCodec, pix_fmts); OFF(AVCodecContext, hw_frames_ctx); OFF(AVBufferRef, data);
            OFF(AVHWFramesContext, initial_pool_size); OFF(AVHWFramesContext, format); OFF(AVHWFramesContext, sw_format);
            OFF(AVHWFramesContext, width); OFF(AVHWFramesContext, height);
            printf("sizeof.AVRational %zu\n", sizeof(AVRational));
            CONST(AV_OPT_SEARCH_CHILDREN); CONST(AV_BUFFER_FLAG_READONLY); CONST(AV_PKT_FLAG_KEY); CONST(AV_PICTURE_TYPE_NONE); CONST(AV_PICTURE_TYPE_I);
            CONST(AV_PIX_FMT_NONE); CONST(AV_PIX_FMT_YUV420P); CONST(AV_PIX_FMT_YUYV422); CONST(AV_PIX_FMT_YUV422P);
            CONST(AV_PIX_FMT_YUV444P); CONST(AV_PIX_FMT_YUVJ420P); CONST(AV_PIX_FMT_YUVJ422P); CONST(AV_PIX_FMT_YUVJ444P);
            CONST(AV_PIX_FMT_NV12); CONST(AV_PIX_FMT_VAAPI); CONST(AV_HWDEVICE_TYPE_VAAPI); CONST(SWS_BILINEAR);
            CONST(AVERROR(EAGAIN)); CONST(AVERROR(EINVAL)); CONST(AVERROR(ENOMEM)); CONST(AVERROR(ENOENT)); CONST(AVERROR_EOF);
            CONST(AV_LOG_WARNING);
            return 0;
        }
        """;

    [Fact]
    public void Table_matches_offsetof_in_the_installed_headers()
    {
        var probe = FFmpegHeaderProbe.RunHere(Probe, MissingHeaders);

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
            AssertMatchesTable(FFmpegHeaderProbe.RunHere(Probe, MissingHeaders, directory));
        }
    }

    [Fact]
    public void Table_for_61_matches_offsetof_in_a_debian_trixie_root()
    {
        var probe = FFmpegHeaderProbe.RunInTrixieRoot(Probe);
        Assert.Equal(61, probe["LIBAVCODEC_VERSION_MAJOR"]);
        AssertMatchesTable(probe);
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
        Assert.Equal(FFmpegConstants.AV_PIX_FMT_NONE, probe["const.AV_PIX_FMT_NONE"]);
        Assert.Equal(FFmpegConstants.AV_PIX_FMT_YUV420P, probe["const.AV_PIX_FMT_YUV420P"]);
        Assert.Equal(FFmpegConstants.AV_PIX_FMT_YUYV422, probe["const.AV_PIX_FMT_YUYV422"]);
        Assert.Equal(FFmpegConstants.AV_PIX_FMT_YUV422P, probe["const.AV_PIX_FMT_YUV422P"]);
        Assert.Equal(FFmpegConstants.AV_PIX_FMT_YUV444P, probe["const.AV_PIX_FMT_YUV444P"]);
        Assert.Equal(FFmpegConstants.AV_PIX_FMT_YUVJ420P, probe["const.AV_PIX_FMT_YUVJ420P"]);
        Assert.Equal(FFmpegConstants.AV_PIX_FMT_YUVJ422P, probe["const.AV_PIX_FMT_YUVJ422P"]);
        Assert.Equal(FFmpegConstants.AV_PIX_FMT_YUVJ444P, probe["const.AV_PIX_FMT_YUVJ444P"]);
        Assert.Equal(FFmpegConstants.AV_PIX_FMT_NV12, probe["const.AV_PIX_FMT_NV12"]);
        Assert.Equal(FFmpegConstants.AV_PIX_FMT_VAAPI, probe["const.AV_PIX_FMT_VAAPI"]);
        Assert.Equal(FFmpegConstants.AV_HWDEVICE_TYPE_VAAPI, probe["const.AV_HWDEVICE_TYPE_VAAPI"]);
        Assert.Equal(FFmpegConstants.SWS_BILINEAR, probe["const.SWS_BILINEAR"]);
        Assert.Equal(FFmpegConstants.AVERROR_EAGAIN, probe["const.AVERROR(EAGAIN)"]);
        Assert.Equal(FFmpegConstants.AVERROR_EINVAL, probe["const.AVERROR(EINVAL)"]);
        Assert.Equal(FFmpegConstants.AVERROR_ENOMEM, probe["const.AVERROR(ENOMEM)"]);
        Assert.Equal(FFmpegConstants.AVERROR_ENOENT, probe["const.AVERROR(ENOENT)"]);
        Assert.Equal(FFmpegConstants.AVERROR_EOF, probe["const.AVERROR_EOF"]);
        Assert.Equal(FFmpegConstants.AV_LOG_WARNING, probe["const.AV_LOG_WARNING"]);
    }
}
