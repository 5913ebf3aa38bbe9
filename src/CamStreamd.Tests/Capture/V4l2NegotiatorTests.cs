using CamStreamd.Capture;
using CamStreamd.Interop.V4l2;

namespace CamStreamd.Tests.Capture;

public class V4l2NegotiatorTests
{
    private static V4l2FormatInfo Format(uint fourcc, params (int W, int H)[] sizes) =>
        new(fourcc, V4l2PixelFormats.ToFourCc(fourcc), false, [.. sizes.Select(s => V4l2FrameSizeRange.Discrete(s.W, s.H))]);

    [Fact]
    public void Auto_prefers_nv12_then_yuv420_then_yuyv_then_mjpeg()
    {
        List<V4l2FormatInfo> offered = [Format(V4l2PixelFormats.Mjpeg), Format(V4l2PixelFormats.Yuyv), Format(V4l2PixelFormats.Yuv420), Format(V4l2PixelFormats.Nv12)];
        Assert.Equal(V4l2PixelFormats.Nv12, V4l2Negotiator.ChooseFormat(offered, "auto", "x264", "/dev/video0").PixelFormat);
        offered.RemoveAt(3);
        Assert.Equal(V4l2PixelFormats.Yuv420, V4l2Negotiator.ChooseFormat(offered, "auto", "x264", "/dev/video0").PixelFormat);
        offered.RemoveAt(2);
        Assert.Equal(V4l2PixelFormats.Yuyv, V4l2Negotiator.ChooseFormat(offered, "auto", "x264", "/dev/video0").PixelFormat);
        offered.RemoveAt(1);
        Assert.Equal(V4l2PixelFormats.Mjpeg, V4l2Negotiator.ChooseFormat(offered, "auto", "x264", "/dev/video0").PixelFormat);
    }

    [Fact]
    public void Auto_takes_h264_for_auto_and_passthrough_engines_only()
    {
        List<V4l2FormatInfo> offered = [Format(V4l2PixelFormats.Yuyv), Format(V4l2PixelFormats.H264)];
        Assert.Equal(V4l2PixelFormats.H264, V4l2Negotiator.ChooseFormat(offered, "auto", "auto", "/dev/video0").PixelFormat);
        Assert.Equal(V4l2PixelFormats.H264, V4l2Negotiator.ChooseFormat(offered, "auto", "passthrough", "/dev/video0").PixelFormat);
        Assert.Equal(V4l2PixelFormats.Yuyv, V4l2Negotiator.ChooseFormat(offered, "auto", "x264", "/dev/video0").PixelFormat);
    }

    [Fact]
    public void A_missing_format_names_the_device_and_what_it_offers()
    {
        List<V4l2FormatInfo> offered = [Format(V4l2PixelFormats.Yuyv)];
        var e = Assert.Throws<CameraConfigurationException>(() => V4l2Negotiator.ChooseFormat(offered, "nv12", "x264", "/dev/video3"));
        Assert.Contains("/dev/video3", e.Message, StringComparison.Ordinal);
        Assert.Contains("YUYV", e.Message, StringComparison.Ordinal);
        Assert.Throws<CameraConfigurationException>(() => V4l2Negotiator.ChooseFormat(offered, "auto", "passthrough", "/dev/video3"));
    }

    [Fact]
    public void Size_is_exact_when_offered_else_the_nearest()
    {
        var sizes = Format(V4l2PixelFormats.Yuyv, (640, 480), (1280, 720), (1920, 1080)).Sizes;
        Assert.Equal((1280, 720), V4l2Negotiator.ChooseSize(sizes, 1280, 720));
        Assert.Equal((1280, 720), V4l2Negotiator.ChooseSize(sizes, 1024, 768));
        Assert.Equal((640, 480), V4l2Negotiator.ChooseSize(sizes, 320, 240));
        var stepwise = new V4l2FrameSizeRange(16, 4096, 8, 16, 2160, 8);
        Assert.Equal((640, 360), V4l2Negotiator.ChooseSize([stepwise], 642, 358));
    }

    [Fact]
    public void Rate_is_the_nearest_offered()
    {
        Assert.Equal(30, V4l2Negotiator.ChooseFps([60, 30, 15], 30));
        Assert.Equal(15, V4l2Negotiator.ChooseFps([30, 15, 5], 12));
        Assert.Equal(25, V4l2Negotiator.ChooseFps([], 25));
    }
}
