using System.Globalization;
using CamStreamd.Configuration;
using CamStreamd.Interop.V4l2;

namespace CamStreamd.Capture;

/// <summary>
/// Chooses a camera's format, size and frame rate from what it offers. Pure: the lists come
/// from <see cref="V4l2Enumeration"/>, so tests feed them directly.
/// </summary>
internal static class V4l2Negotiator
{
    /// <summary>
    /// <c>auto</c> order among raw and JPEG formats: what the encoders take without conversion
    /// first (NV12, then planar YUV 4:2:0), then packed YUYV, then MJPEG (needs a JPEG decode).
    /// </summary>
    private static readonly uint[] AutoPreference =
    [
        V4l2PixelFormats.Nv12, V4l2PixelFormats.Nv12M, V4l2PixelFormats.Yuv420, V4l2PixelFormats.Yuv420M,
        V4l2PixelFormats.Yuyv, V4l2PixelFormats.Mjpeg, V4l2PixelFormats.Jpeg,
    ];

    /// <summary>The fourccs a <c>source.format</c> value accepts, in preference order.</summary>
    public static IReadOnlyList<uint> Candidates(string format) => format switch
    {
        "nv12" => [V4l2PixelFormats.Nv12, V4l2PixelFormats.Nv12M],
        "yuv420" => [V4l2PixelFormats.Yuv420, V4l2PixelFormats.Yuv420M],
        "yuyv" => [V4l2PixelFormats.Yuyv],
        "mjpeg" => [V4l2PixelFormats.Mjpeg, V4l2PixelFormats.Jpeg],
        "h264" => [V4l2PixelFormats.H264],
        _ => AutoPreference,
    };

    /// <summary>Picks the format for <paramref name="format"/> and <paramref name="engine"/>.</summary>
    /// <exception cref="CameraConfigurationException">Nothing usable is offered.</exception>
    public static V4l2FormatInfo ChooseFormat(IReadOnlyList<V4l2FormatInfo> offered, string format, string engine, string device)
    {
        // A camera that encodes H.264 itself is passed through untouched when the engine allows it.
        var wantH264 = format == "h264"
            || (format == "auto" && engine is EncoderEngines.Auto or EncoderEngines.Passthrough);
        if (wantH264 && offered.FirstOrDefault(f => f.PixelFormat == V4l2PixelFormats.H264) is { } h264)
        {
            return h264;
        }

        if (engine == EncoderEngines.Passthrough || format == "h264")
        {
            throw new CameraConfigurationException($"{device} offers no H.264 (it offers {List(offered)}); encoder.engine \"passthrough\" and source.format \"h264\" need a camera that encodes H.264");
        }

        foreach (var fourcc in Candidates(format))
        {
            if (offered.FirstOrDefault(f => f.PixelFormat == fourcc) is { } match)
            {
                return match;
            }
        }

        throw new CameraConfigurationException($"{device} offers no format usable for source.format \"{format}\" (it offers {List(offered)})");
    }

    /// <summary>The offered size nearest to the wanted one (sum of width and height differences; exact when offered).</summary>
    public static (int Width, int Height) ChooseSize(IReadOnlyList<V4l2FrameSizeRange> sizes, int width, int height)
    {
        if (sizes.Count == 0)
        {
            return (width, height);
        }

        var best = (Width: 0, Height: 0);
        var bestDistance = long.MaxValue;
        foreach (var range in sizes)
        {
            var candidate = range.Nearest(width, height);
            var distance = (long)Math.Abs(candidate.Width - width) + Math.Abs(candidate.Height - height);
            if (distance < bestDistance)
            {
                (best, bestDistance) = (candidate, distance);
            }
        }

        return best;
    }

    /// <summary>The offered rate nearest to <paramref name="fps"/> (the higher one on a tie); <paramref name="fps"/> when none are listed.</summary>
    public static double ChooseFps(IReadOnlyList<double> rates, double fps)
    {
        var best = fps;
        var bestDistance = double.MaxValue;
        foreach (var rate in rates)
        {
            var distance = Math.Abs(rate - fps);
            if (distance < bestDistance || (distance == bestDistance && rate > best))
            {
                (best, bestDistance) = (rate, distance);
            }
        }

        return best;
    }

    private static string List(IReadOnlyList<V4l2FormatInfo> offered) =>
        offered.Count == 0 ? "nothing" : string.Join(", ", offered.Select(f => f.FourCc));

    /// <summary>Formats <paramref name="fps"/> for logs.</summary>
    public static string Rate(double fps) => fps.ToString("0.##", CultureInfo.InvariantCulture);
}
