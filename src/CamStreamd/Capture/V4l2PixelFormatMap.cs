using System.Diagnostics.CodeAnalysis;
using CamStreamd.Interop.V4l2;
using CamStreamd.Media;

namespace CamStreamd.Capture;

/// <summary>Which of our pixel formats a V4L2 fourcc (<see cref="V4l2PixelFormats"/>) carries: the native-to-ours mapping lives with the capture code, not in Interop/.</summary>
public static class V4l2PixelFormatMap
{
    /// <summary>The <see cref="VideoPixelFormat"/> frames of <paramref name="fourcc"/> carry, when camstreamd takes it.</summary>
    public static bool TryMap(uint fourcc, [NotNullWhen(true)] out VideoPixelFormat? format)
    {
        format = fourcc switch
        {
            V4l2PixelFormats.Nv12 or V4l2PixelFormats.Nv12M => VideoPixelFormat.Nv12,
            V4l2PixelFormats.Yuv420 or V4l2PixelFormats.Yuv420M => VideoPixelFormat.I420,
            V4l2PixelFormats.Yuyv => VideoPixelFormat.Yuyv,
            V4l2PixelFormats.Mjpeg or V4l2PixelFormats.Jpeg => VideoPixelFormat.Mjpeg,
            V4l2PixelFormats.H264 => VideoPixelFormat.H264,
            _ => null,
        };
        return format is not null;
    }
}
