namespace CamStreamd.Interop.FFmpeg;

/// <summary>
/// Numeric constants from the FFmpeg headers (same values in 5.1, 6.x and 7.x; the layout probe
/// test compiles them against the installed headers and compares).
/// </summary>
internal static class FFmpegConstants
{
    /// <summary>opt.h: search the object's children (the codec's private options) too.</summary>
    public const int AV_OPT_SEARCH_CHILDREN = 1 << 0;

    /// <summary>buffer.h: the buffer is never written through (a borrowed picture).</summary>
    public const int AV_BUFFER_FLAG_READONLY = 1 << 0;

    /// <summary>packet.h: the packet holds a keyframe.</summary>
    public const int AV_PKT_FLAG_KEY = 0x0001;

    /// <summary>avutil.h <c>enum AVPictureType</c>: undefined (let the encoder choose).</summary>
    public const int AV_PICTURE_TYPE_NONE = 0;

    /// <summary>avutil.h <c>enum AVPictureType</c>: intra.</summary>
    public const int AV_PICTURE_TYPE_I = 1;

    /// <summary>pixfmt.h: no format (ends <c>AVCodec.pix_fmts</c>).</summary>
    public const int AV_PIX_FMT_NONE = -1;

    /// <summary>pixfmt.h <c>enum AVPixelFormat</c>: planar YUV 4:2:0, 12 bpp (I420).</summary>
    public const int AV_PIX_FMT_YUV420P = 0;

    /// <summary>pixfmt.h: packed YUV 4:2:2, Y0 Cb Y1 Cr (V4L2 YUYV).</summary>
    public const int AV_PIX_FMT_YUYV422 = 1;

    /// <summary>pixfmt.h: planar YUV 4:2:2.</summary>
    public const int AV_PIX_FMT_YUV422P = 4;

    /// <summary>pixfmt.h: planar YUV 4:4:4.</summary>
    public const int AV_PIX_FMT_YUV444P = 5;

    /// <summary>pixfmt.h: planar YUV 4:2:0, full range (what the MJPEG decoder gives for 4:2:0 JPEGs).</summary>
    public const int AV_PIX_FMT_YUVJ420P = 12;

    /// <summary>pixfmt.h: planar YUV 4:2:2, full range (most UVC webcams' JPEGs).</summary>
    public const int AV_PIX_FMT_YUVJ422P = 13;

    /// <summary>pixfmt.h: planar YUV 4:4:4, full range.</summary>
    public const int AV_PIX_FMT_YUVJ444P = 14;

    /// <summary>pixfmt.h: Y plane then interleaved CbCr (V4L2 NV12).</summary>
    public const int AV_PIX_FMT_NV12 = 23;

    /// <summary>pixfmt.h: a VA-API surface (hardware frame).</summary>
    public const int AV_PIX_FMT_VAAPI = 44;

    /// <summary>hwcontext.h <c>enum AVHWDeviceType</c>: VA-API.</summary>
    public const int AV_HWDEVICE_TYPE_VAAPI = 3;

    /// <summary>swscale.h: bilinear scaling (only used for format conversion at equal size).</summary>
    public const int SWS_BILINEAR = 2;

    /// <summary>error.h: <c>AVERROR(ENOENT)</c> on Linux (ENOENT = 2).</summary>
    public const int AVERROR_ENOENT = -2;

    /// <summary>error.h: <c>AVERROR(EAGAIN)</c> on Linux (EAGAIN = 11).</summary>
    public const int AVERROR_EAGAIN = -11;

    /// <summary>error.h: <c>AVERROR(EINVAL)</c> on Linux (EINVAL = 22).</summary>
    public const int AVERROR_EINVAL = -22;

    /// <summary>error.h: <c>AVERROR(ENOMEM)</c> on Linux (ENOMEM = 12).</summary>
    public const int AVERROR_ENOMEM = -12;

    /// <summary>error.h: <c>AVERROR_EOF</c> = <c>-MKTAG('E','O','F',' ')</c>.</summary>
    public const int AVERROR_EOF = -0x20464F45;

    /// <summary>log.h: print nothing.</summary>
    public const int AV_LOG_QUIET = -8;

    /// <summary>log.h: errors only.</summary>
    public const int AV_LOG_ERROR = 16;

    /// <summary>log.h: warnings and errors.</summary>
    public const int AV_LOG_WARNING = 24;

    /// <summary>log.h: informational messages.</summary>
    public const int AV_LOG_INFO = 32;
}
