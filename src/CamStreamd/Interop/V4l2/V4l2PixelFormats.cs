namespace CamStreamd.Interop.V4l2;

/// <summary>The V4L2 fourccs camstreamd captures (<c>v4l2_fourcc(a, b, c, d)</c> = a | b&lt;&lt;8 | c&lt;&lt;16 | d&lt;&lt;24).</summary>
public static class V4l2PixelFormats
{
    /// <summary><c>NV12</c>: Y plane, then interleaved CbCr, one buffer.</summary>
    public const uint Nv12 = 0x3231564E;

    /// <summary><c>NM12</c>: NV12 with Y and CbCr in two separate planes (multi-planar).</summary>
    public const uint Nv12M = 0x32314D4E;

    /// <summary><c>YU12</c> (<c>V4L2_PIX_FMT_YUV420</c>): planar Y, U, V.</summary>
    public const uint Yuv420 = 0x32315559;

    /// <summary><c>YM12</c>: YUV420 in three planes (multi-planar).</summary>
    public const uint Yuv420M = 0x32314D59;

    /// <summary><c>YUYV</c>: packed 4:2:2.</summary>
    public const uint Yuyv = 0x56595559;

    /// <summary><c>MJPG</c>.</summary>
    public const uint Mjpeg = 0x47504A4D;

    /// <summary><c>JPEG</c> (some UVC cameras use it for MJPEG).</summary>
    public const uint Jpeg = 0x4745504A;

    /// <summary><c>H264</c>: H.264 with start codes.</summary>
    public const uint H264 = 0x34363248;

    /// <summary>The four characters of <paramref name="fourcc"/> (e.g. <c>NV12</c>).</summary>
    public static string ToFourCc(uint fourcc) => string.Create(4, fourcc, static (span, value) =>
    {
        for (var i = 0; i < 4; i++)
        {
            var c = (char)((value >> (8 * i)) & 0xFF);
            span[i] = char.IsAsciiLetterOrDigit(c) || c == ' ' ? c : '?';
        }
    });
}
