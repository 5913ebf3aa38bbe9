using CamStreamd.Configuration;
using CamStreamd.Encoding;
using CamStreamd.Interop.FFmpeg;
using CamStreamd.Media;

namespace CamStreamd.Tests.Encoding;

public class EncoderOptionMapTests
{
    private static readonly EncoderSettings Hd = new(1280, 720, 30, 3_000_000, 60, "main") { Threads = 2 };

    [Fact]
    public void X264_cbr_main()
    {
        AssertOptions(
            EncoderEngines.X264, Hd, FFmpegConstants.AV_PIX_FMT_YUV420P,
            "video_size=1280x720", "pixel_format=yuv420p", "time_base=1/90000", "b=3000000", "maxrate=3000000", "bufsize=3000000",
            "g=60", "bf=0", "threads=2", "preset=ultrafast (private)", "tune=zerolatency (private)", "profile=main (private)",
            "forced-idr=1 (private)", "coder=1 (private)", "sc_threshold=0 (private)", "x264-params=fps=30 (private)");
    }

    [Fact]
    public void X264_cqp_high_with_level_on_nv12()
    {
        AssertOptions(
            EncoderEngines.X264, Hd with { Profile = "high", RateControl = "cqp", Qp = 23, Level = "4.1" }, FFmpegConstants.AV_PIX_FMT_NV12,
            "video_size=1280x720", "pixel_format=nv12", "time_base=1/90000", "g=60", "bf=0", "threads=2", "level=41",
            "preset=ultrafast (private)", "tune=zerolatency (private)", "profile=high (private)", "forced-idr=1 (private)",
            "qp=23 (private)", "coder=1 (private)", "8x8dct=1 (private)", "sc_threshold=0 (private)", "x264-params=fps=30 (private)");
    }

    [Fact]
    public void Rkmpp_cbr_low_delay_qp_range()
    {
        AssertOptions(
            EncoderEngines.Rkmpp, Hd, FFmpegConstants.AV_PIX_FMT_NV12,
            "video_size=1280x720", "pixel_format=nv12", "time_base=1/30", "b=3000000", "maxrate=3000000", "g=60", "bf=0",
            "flags=+low_delay", "rc_mode=CBR (private)", "qp_init=26 (private)", "qp_min=10 (private)", "qp_max=51 (private)",
            "profile=main (private)");
    }

    [Fact]
    public void Rkmpp_vbr_and_cqp_with_level()
    {
        AssertOptions(
            EncoderEngines.Rkmpp, Hd with { RateControl = "vbr", Level = "4.2", Profile = "baseline" }, FFmpegConstants.AV_PIX_FMT_YUYV422,
            "video_size=1280x720", "pixel_format=yuyv422", "time_base=1/30", "b=3000000", "maxrate=6000000", "g=60", "bf=0",
            "flags=+low_delay", "rc_mode=VBR (private)", "qp_init=26 (private)", "qp_min=10 (private)", "qp_max=51 (private)",
            "profile=baseline (private)", "level=4.2 (private)");
        AssertOptions(
            EncoderEngines.Rkmpp, Hd with { RateControl = "cqp", Qp = 30 }, FFmpegConstants.AV_PIX_FMT_NV12,
            "video_size=1280x720", "pixel_format=nv12", "time_base=1/30", "g=60", "bf=0", "flags=+low_delay", "rc_mode=CQP (private)",
            "qp_init=30 (private)", "qp_min=30 (private)", "qp_max=30 (private)", "profile=main (private)");
    }

    [Fact]
    public void V4l2m2m_bitrate_profile_idc_and_buffer_counts()
    {
        AssertOptions(
            EncoderEngines.V4l2m2m, Hd with { Profile = "high", Level = "4" }, FFmpegConstants.AV_PIX_FMT_NV12,
            "video_size=1280x720", "pixel_format=nv12", "time_base=1/30", "b=3000000", "g=60", "bf=0", "profile=100", "level=40",
            "num_output_buffers=6 (private)", "num_capture_buffers=4 (private)");
        AssertOptions(
            EncoderEngines.V4l2m2m, Hd with { Profile = "baseline", RateControl = "cqp", Qp = 28 }, FFmpegConstants.AV_PIX_FMT_YUV420P,
            "video_size=1280x720", "pixel_format=yuv420p", "time_base=1/30", "g=60", "bf=0", "profile=66", "qmin=28", "qmax=28",
            "num_output_buffers=6 (private)", "num_capture_buffers=4 (private)");
    }

    [Fact]
    public void Vaapi_surfaces_rate_control_and_constrained_baseline()
    {
        AssertOptions(
            EncoderEngines.Vaapi, Hd with { RateControl = "vbr", Level = "3.1", Profile = "baseline" }, FFmpegConstants.AV_PIX_FMT_VAAPI,
            "video_size=1280x720", "pixel_format=vaapi", "time_base=1/30", "b=3000000", "maxrate=6000000", "g=60", "bf=0",
            "rc_mode=VBR (private)", "profile=constrained_baseline (private)", "level=3.1 (private)");
        AssertOptions(
            EncoderEngines.Vaapi, Hd with { RateControl = "cqp", Qp = 20 }, FFmpegConstants.AV_PIX_FMT_VAAPI,
            "video_size=1280x720", "pixel_format=vaapi", "time_base=1/30", "g=60", "bf=0", "rc_mode=CQP (private)", "qp=20 (private)",
            "profile=main (private)");
    }

    [Theory]
    [InlineData(EncoderEngines.X264, FFmpegConstants.AV_PIX_FMT_YUV420P)]
    [InlineData(EncoderEngines.V4l2m2m, FFmpegConstants.AV_PIX_FMT_NV12)]
    [InlineData(EncoderEngines.Vaapi, FFmpegConstants.AV_PIX_FMT_VAAPI)]
    public void Every_mapped_option_exists_in_this_FFmpeg_build(string engine, int pixelFormat)
    {
        // The codec is in Debian's FFmpeg even without the hardware: av_opt_set proves each name
        // and value parses (a typo would be "Option not found" or "Invalid argument").
        FFmpegLibraries.EnsureLoaded();
        var codec = LibAvCodec.avcodec_find_encoder_by_name(EncoderOptionMap.CodecName(engine));
        Assert.True(codec != 0, $"{EncoderOptionMap.CodecName(engine)} missing from this FFmpeg build (Debian's libavcodec59 has it)");
        foreach (var settings in new[] { Hd, Hd with { RateControl = "vbr", Level = "4.1", Profile = "high" }, Hd with { RateControl = "cqp", Profile = "baseline" } })
        {
            using var context = AVCodecContextHandle.Allocate(codec);
            foreach (var option in EncoderOptionMap.Build(engine, settings, pixelFormat))
            {
                var result = LibAvUtil.av_opt_set(context, option.Name, option.Value, option.Private ? FFmpegConstants.AV_OPT_SEARCH_CHILDREN : 0);
                Assert.True(result == 0, $"{engine}: av_opt_set({option}) = {FFmpegException.Describe(result)}");
            }
        }
    }

    [Fact]
    public void Passthrough_and_auto_have_no_codec()
    {
        Assert.Throws<ArgumentException>(() => EncoderOptionMap.CodecName(EncoderEngines.Passthrough));
        Assert.Throws<ArgumentException>(() => EncoderOptionMap.Build(EncoderEngines.Auto, Hd, FFmpegConstants.AV_PIX_FMT_NV12));
    }

    [Theory]
    [InlineData(EncoderEngines.X264, VideoPixelFormat.Nv12, FFmpegConstants.AV_PIX_FMT_NV12)]
    [InlineData(EncoderEngines.X264, VideoPixelFormat.Yuyv, FFmpegConstants.AV_PIX_FMT_YUV420P)]
    [InlineData(EncoderEngines.X264, VideoPixelFormat.Mjpeg, FFmpegConstants.AV_PIX_FMT_YUV420P)]
    [InlineData(EncoderEngines.Vaapi, VideoPixelFormat.I420, FFmpegConstants.AV_PIX_FMT_NV12)]
    [InlineData(EncoderEngines.V4l2m2m, VideoPixelFormat.Yuyv, FFmpegConstants.AV_PIX_FMT_NV12)]
    [InlineData(EncoderEngines.V4l2m2m, VideoPixelFormat.I420, FFmpegConstants.AV_PIX_FMT_YUV420P)]
    public void Input_format_is_the_capture_format_when_the_codec_takes_it(string engine, VideoPixelFormat capture, int expected)
    {
        FFmpegLibraries.EnsureLoaded();
        var codec = LibAvCodec.avcodec_find_encoder_by_name(EncoderOptionMap.CodecName(engine));
        Assert.NotEqual(0, codec);
        Assert.Equal(expected, FFmpegVideoEncoder.ChooseInputFormat(engine, capture, FFmpegLibraries.Layout.CodecPixelFormats(codec)));
    }

    [Fact]
    public void Rkmpp_takes_yuyv_and_nv12_as_captured()
    {
        // h264_rkmpp's pix_fmts (ffmpeg-rockchip rkmppenc.c) include yuyv422, nv12 and yuv420p.
        int[] rkmpp = [FFmpegConstants.AV_PIX_FMT_YUV420P, FFmpegConstants.AV_PIX_FMT_NV12, FFmpegConstants.AV_PIX_FMT_YUYV422];
        Assert.Equal(FFmpegConstants.AV_PIX_FMT_YUYV422, FFmpegVideoEncoder.ChooseInputFormat(EncoderEngines.Rkmpp, VideoPixelFormat.Yuyv, rkmpp));
        Assert.Equal(FFmpegConstants.AV_PIX_FMT_NV12, FFmpegVideoEncoder.ChooseInputFormat(EncoderEngines.Rkmpp, VideoPixelFormat.Mjpeg, rkmpp));
    }

    private static void AssertOptions(string engine, EncoderSettings settings, int pixelFormat, params string[] expected) =>
        Assert.Equal(expected, EncoderOptionMap.Build(engine, settings, pixelFormat).Select(o => o.ToString()));
}
