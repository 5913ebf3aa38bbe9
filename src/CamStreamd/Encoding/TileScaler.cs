using CamStreamd.Interop.FFmpeg;

namespace CamStreamd.Encoding;

/// <summary>
/// Scales a decoded or copied picture (<c>AVFrame</c>: yuv420p, nv12, yuv422p, their full-range
/// yuvj forms, ...) with libswscale straight into a rectangle of an I420 canvas: the destination
/// pointers are the rectangle's first bytes inside the canvas and the strides are the canvas's,
/// so nothing is copied twice. One context per source format and size, kept while they stay
/// the same (a resolution change makes a new one); same size and format is swscale's plain copy.
/// </summary>
internal sealed class TileScaler : IDisposable
{
    private readonly FFmpegLayout _layout;
    private SwsContextHandle? _context;
    private (int Format, bool FullRange, int Width, int Height, int TargetWidth, int TargetHeight) _key;

    public TileScaler()
        : this(FFmpegLibraries.Layout)
    {
    }

    public TileScaler(FFmpegLayout layout) => _layout = layout;

    /// <summary>Scales so far.</summary>
    public long Scales { get; private set; }

    /// <summary>Contexts made so far (1 + the number of source format or size changes).</summary>
    public int ContextsCreated { get; private set; }

    /// <summary>Width and height of the picture in <paramref name="frame"/>.</summary>
    public (int Width, int Height) SizeOf(nint frame) => (_layout.FrameWidth(frame), _layout.FrameHeight(frame));

    /// <summary>Scales the picture of <paramref name="frame"/> (an <c>AVFrame*</c>) into <paramref name="target"/>.</summary>
    /// <exception cref="FFmpegException">libswscale cannot convert the format.</exception>
    public unsafe void Scale(nint frame, in PlanarTarget target)
    {
        var (format, fullRange) = WithoutJpegRange(_layout.FrameFormat(frame));
        var key = (format, fullRange, _layout.FrameWidth(frame), _layout.FrameHeight(frame), target.Width, target.Height);
        if (_context is null || key != _key)
        {
            _context?.Dispose();
            _context = null;
            var context = SwsContextHandle.Create(key.Item3, key.Item4, format, target.Width, target.Height, FFmpegConstants.AV_PIX_FMT_YUV420P);
            if (fullRange)
            {
                // Cameras' yuvj pictures are full range; the canvas (and H.264 as we send it) is limited range.
                int* invTable;
                int* table;
                int srcRange, dstRange, brightness, contrast, saturation;
                FFmpegException.ThrowIfError(
                    LibSwscale.sws_getColorspaceDetails(context, &invTable, &srcRange, &table, &dstRange, &brightness, &contrast, &saturation),
                    nameof(LibSwscale.sws_getColorspaceDetails));
                FFmpegException.ThrowIfError(
                    LibSwscale.sws_setColorspaceDetails(context, invTable, 1, table, 0, brightness, contrast, saturation),
                    nameof(LibSwscale.sws_setColorspaceDetails));
            }

            (_context, _key) = (context, key);
            ContextsCreated++;
        }

        var src = stackalloc byte*[4];
        var srcStride = stackalloc int[4];
        for (var i = 0; i < 4; i++)
        {
            src[i] = _layout.FrameData(frame, i);
            srcStride[i] = _layout.FrameLinesize(frame, i);
        }

        var dst = stackalloc byte*[4] { target.Y, target.U, target.V, null };
        var dstStride = stackalloc int[4] { target.LumaStride, target.ChromaStride, target.ChromaStride, 0 };
        var rows = LibSwscale.sws_scale(_context, src, srcStride, 0, key.Item4, dst, dstStride);
        if (rows < 0)
        {
            FFmpegException.ThrowIfError(rows, nameof(LibSwscale.sws_scale));
        }

        Scales++;
    }

    public void Dispose() => _context?.Dispose();

    // The yuvj formats are yuv formats at full (JPEG) range; swscale wants the plain format plus a range flag.
    private static (int Format, bool FullRange) WithoutJpegRange(int format) => format switch
    {
        FFmpegConstants.AV_PIX_FMT_YUVJ420P => (FFmpegConstants.AV_PIX_FMT_YUV420P, true),
        FFmpegConstants.AV_PIX_FMT_YUVJ422P => (FFmpegConstants.AV_PIX_FMT_YUV422P, true),
        FFmpegConstants.AV_PIX_FMT_YUVJ444P => (FFmpegConstants.AV_PIX_FMT_YUV444P, true),
        _ => (format, false),
    };
}
