using CamStreamd.Interop.FFmpeg;
using CamStreamd.Media;

namespace CamStreamd.Encoding;

/// <summary>
/// Writes a captured <see cref="VideoFrame"/> into the encoder's input picture: a strided plane
/// copy when the formats match, libswscale when they do not, and the MJPEG decoder first for
/// JPEG frames. A picture of another size than the encoder's (a camera that could not do the
/// configured size) is scaled to it. The swscale context is made once per source format and
/// size and reused, so steady-state conversion allocates nothing.
/// </summary>
internal sealed class PictureConverter : IDisposable
{
    private readonly FFmpegLayout _layout;
    private readonly int _width;
    private readonly int _height;
    private readonly int _targetFormat;
    private SwsContextHandle? _scaler;
    private int _scalerSource = FFmpegConstants.AV_PIX_FMT_NONE;
    private int _scalerWidth;
    private int _scalerHeight;
    private bool _scalerFullRange;
    private MjpegDecoder? _mjpeg;

    public PictureConverter(FFmpegLayout layout, int width, int height, int targetFormat)
    {
        _layout = layout;
        _width = width;
        _height = height;
        _targetFormat = targetFormat;
    }

    /// <summary>Conversions through libswscale so far (0 when every frame came in the encoder's format).</summary>
    public long Conversions { get; private set; }

    /// <summary>The AVPixelFormat of a raw <see cref="VideoPixelFormat"/>, or AV_PIX_FMT_NONE for compressed ones.</summary>
    public static int ToAvPixelFormat(VideoPixelFormat format) => format switch
    {
        VideoPixelFormat.I420 => FFmpegConstants.AV_PIX_FMT_YUV420P,
        VideoPixelFormat.Nv12 => FFmpegConstants.AV_PIX_FMT_NV12,
        VideoPixelFormat.Yuyv => FFmpegConstants.AV_PIX_FMT_YUYV422,
        _ => FFmpegConstants.AV_PIX_FMT_NONE,
    };

    /// <summary>Fills <paramref name="target"/> (allocated in the target format at the encoder's size) from <paramref name="frame"/>.</summary>
    public unsafe void Write(VideoFrame frame, nint target)
    {
        if (frame.Format == VideoPixelFormat.Mjpeg)
        {
            _mjpeg ??= new MjpegDecoder(_layout);
            var decoded = _mjpeg.Decode(frame.Payload.Span);
            var (format, fullRange) = WithoutJpegRange(_layout.FrameFormat(decoded));
            var src = stackalloc byte*[4];
            var srcStride = stackalloc int[4];
            for (var i = 0; i < 4; i++)
            {
                src[i] = _layout.FrameData(decoded, i);
                srcStride[i] = _layout.FrameLinesize(decoded, i);
            }

            Scale(format, fullRange, _layout.FrameWidth(decoded), _layout.FrameHeight(decoded), src, srcStride, target);
            return;
        }

        var source = ToAvPixelFormat(frame.Format);
        if (source == FFmpegConstants.AV_PIX_FMT_NONE)
        {
            throw new ArgumentException($"{frame.Format} frames cannot be encoded (use the passthrough engine for H.264 sources)", nameof(frame));
        }

        if (source == _targetFormat && frame.Width == _width && frame.Height == _height)
        {
            Copy(frame, target);
            return;
        }

        fixed (byte* p0 = frame.GetPlane(0).Span)
        fixed (byte* p1 = frame.GetPlane(1).Span)
        fixed (byte* p2 = frame.GetPlane(2).Span)
        {
            var src = stackalloc byte*[4] { p0, p1, p2, null };
            var srcStride = stackalloc int[4] { frame.GetStride(0), frame.GetStride(1), frame.GetStride(2), 0 };
            Scale(source, fullRange: false, frame.Width, frame.Height, src, srcStride, target);
        }
    }

    public void Dispose()
    {
        _scaler?.Dispose();
        _mjpeg?.Dispose();
    }

    // The yuvj formats are yuv formats at full (JPEG) range; swscale wants the plain format plus a range flag.
    private static (int Format, bool FullRange) WithoutJpegRange(int format) => format switch
    {
        FFmpegConstants.AV_PIX_FMT_YUVJ420P => (FFmpegConstants.AV_PIX_FMT_YUV420P, true),
        FFmpegConstants.AV_PIX_FMT_YUVJ422P => (FFmpegConstants.AV_PIX_FMT_YUV422P, true),
        FFmpegConstants.AV_PIX_FMT_YUVJ444P => (FFmpegConstants.AV_PIX_FMT_YUV444P, true),
        _ => (format, false),
    };

    private static unsafe void CopyPlane(ReadOnlySpan<byte> source, int sourceStride, int rowBytes, int rows, byte* destination, int linesize)
    {
        if (sourceStride < rowBytes || source.Length < ((long)sourceStride * (rows - 1)) + rowBytes)
        {
            throw new ArgumentException($"plane of {source.Length} bytes with stride {sourceStride} is too small for {rows} rows of {rowBytes} bytes");
        }

        if (sourceStride == rowBytes && linesize == rowBytes)
        {
            source[..(rowBytes * rows)].CopyTo(new Span<byte>(destination, rowBytes * rows));
            return;
        }

        for (var row = 0; row < rows; row++)
        {
            source.Slice(row * sourceStride, rowBytes).CopyTo(new Span<byte>(destination + ((long)row * linesize), rowBytes));
        }
    }

    private unsafe void Copy(VideoFrame frame, nint target)
    {
        switch (frame.Format)
        {
            case VideoPixelFormat.I420:
                CopyPlane(frame.GetPlane(0).Span, frame.GetStride(0), frame.Width, frame.Height, _layout.FrameData(target, 0), _layout.FrameLinesize(target, 0));
                CopyPlane(frame.GetPlane(1).Span, frame.GetStride(1), frame.ChromaWidth, frame.ChromaHeight, _layout.FrameData(target, 1), _layout.FrameLinesize(target, 1));
                CopyPlane(frame.GetPlane(2).Span, frame.GetStride(2), frame.ChromaWidth, frame.ChromaHeight, _layout.FrameData(target, 2), _layout.FrameLinesize(target, 2));
                break;
            case VideoPixelFormat.Nv12:
                CopyPlane(frame.GetPlane(0).Span, frame.GetStride(0), frame.Width, frame.Height, _layout.FrameData(target, 0), _layout.FrameLinesize(target, 0));
                CopyPlane(frame.GetPlane(1).Span, frame.GetStride(1), 2 * frame.ChromaWidth, frame.ChromaHeight, _layout.FrameData(target, 1), _layout.FrameLinesize(target, 1));
                break;
            default:
                // YUYV: 2 bytes per pixel, one plane.
                CopyPlane(frame.GetPlane(0).Span, frame.GetStride(0), 2 * frame.Width, frame.Height, _layout.FrameData(target, 0), _layout.FrameLinesize(target, 0));
                break;
        }
    }

    private unsafe void Scale(int sourceFormat, bool fullRange, int sourceWidth, int sourceHeight, byte** src, int* srcStride, nint target)
    {
        if (_scaler is null || sourceFormat != _scalerSource || fullRange != _scalerFullRange || sourceWidth != _scalerWidth || sourceHeight != _scalerHeight)
        {
            _scaler?.Dispose();
            _scaler = null;
            var scaler = SwsContextHandle.Create(sourceWidth, sourceHeight, sourceFormat, _width, _height, _targetFormat);
            if (fullRange)
            {
                int* invTable;
                int* table;
                int srcRange, dstRange, brightness, contrast, saturation;
                FFmpegException.ThrowIfError(
                    LibSwscale.sws_getColorspaceDetails(scaler, &invTable, &srcRange, &table, &dstRange, &brightness, &contrast, &saturation),
                    nameof(LibSwscale.sws_getColorspaceDetails));
                FFmpegException.ThrowIfError(
                    LibSwscale.sws_setColorspaceDetails(scaler, invTable, 1, table, 0, brightness, contrast, saturation),
                    nameof(LibSwscale.sws_setColorspaceDetails));
            }

            (_scaler, _scalerSource, _scalerFullRange, _scalerWidth, _scalerHeight) = (scaler, sourceFormat, fullRange, sourceWidth, sourceHeight);
        }

        var dst = stackalloc byte*[4];
        var dstStride = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            dst[i] = _layout.FrameData(target, i);
            dstStride[i] = _layout.FrameLinesize(target, i);
        }

        var rows = LibSwscale.sws_scale(_scaler, src, srcStride, 0, sourceHeight, dst, dstStride);
        if (rows < 0)
        {
            FFmpegException.ThrowIfError(rows, nameof(LibSwscale.sws_scale));
        }

        Conversions++;
    }
}
