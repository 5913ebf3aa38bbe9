using System.Diagnostics;
using CamStreamd.Interop.FFmpeg;
using CamStreamd.Media;

namespace CamStreamd.Encoding;

/// <summary>
/// The latest picture of one composite input: the input's thread publishes (a decoded picture is
/// moved in by reference, no copy; a raw frame of a local stream is copied into a reused
/// buffer), the compositor draws it into its tile when its <see cref="Version"/> is newer than
/// what the tile shows. Only the newest picture is kept: a picture that arrives before the
/// compositor took the previous one replaces it. One lock, held for a publish or one scale.
/// </summary>
internal sealed class PictureSlot : IDisposable
{
    private readonly Lock _lock = new();
    private readonly FFmpegLayout _layout;
    private readonly AVFrameHandle _picture;
    private long _version;
    private long _lastPictureTicks;
    private int _copyFormat = FFmpegConstants.AV_PIX_FMT_NONE;
    private int _copyWidth;
    private int _copyHeight;
    private bool _disposed;

    public PictureSlot()
        : this(FFmpegLibraries.Layout)
    {
    }

    public PictureSlot(FFmpegLayout layout)
    {
        _layout = layout;
        _picture = AVFrameHandle.Allocate();
    }

    /// <summary>True for the raw formats <see cref="PublishCopy"/> takes (I420, NV12, YUYV).</summary>
    public static bool CanCopy(VideoPixelFormat format) => PictureConverter.ToAvPixelFormat(format) != FFmpegConstants.AV_PIX_FMT_NONE;

    /// <summary>Pictures published so far (0: none yet).</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Stopwatch ticks of the last publish, 0 before the first.</summary>
    public long LastPictureTicks => Interlocked.Read(ref _lastPictureTicks);

    /// <summary>Takes the picture of <paramref name="decoded"/> (it is left empty).</summary>
    public void Publish(AVFrameHandle decoded)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            LibAvUtil.av_frame_unref(_picture);
            LibAvUtil.av_frame_move_ref(_picture, decoded);
            _copyFormat = FFmpegConstants.AV_PIX_FMT_NONE;
            Published();
        }
    }

    /// <summary>Copies a raw I420, NV12 or YUYV <paramref name="frame"/> into the slot.</summary>
    public void PublishCopy(VideoFrame frame)
    {
        lock (_lock)
        {
            CopyLocked(frame);
        }
    }

    /// <summary>As <see cref="PublishCopy"/>, but false at once (nothing copied) while the compositor is drawing from the slot.</summary>
    public bool TryPublishCopy(VideoFrame frame)
    {
        if (!_lock.TryEnter())
        {
            return false;
        }

        try
        {
            return CopyLocked(frame);
        }
        finally
        {
            _lock.Exit();
        }
    }

    private unsafe bool CopyLocked(VideoFrame frame)
    {
        var format = PictureConverter.ToAvPixelFormat(frame.Format);
        if (format == FFmpegConstants.AV_PIX_FMT_NONE)
        {
        throw new ArgumentException($"{frame.Format} frames are not raw pictures", nameof(frame));
        }

        if (_disposed)
        {
        return false;
        }

        var picture = _picture.DangerousGetHandle();
        if (format != _copyFormat || frame.Width != _copyWidth || frame.Height != _copyHeight)
        {
            // A new geometry (or a decoded picture held before): our own buffer, reused from then on.
            LibAvUtil.av_frame_unref(_picture);
            _layout.SetFrameGeometry(picture, format, frame.Width, frame.Height);
            FFmpegException.ThrowIfError(LibAvUtil.av_frame_get_buffer(_picture, 0), "av_frame_get_buffer(slot)");
            (_copyFormat, _copyWidth, _copyHeight) = (format, frame.Width, frame.Height);
        }

        var (rowBytes0, rows0) = frame.Format == VideoPixelFormat.Yuyv ? (2 * frame.Width, frame.Height) : (frame.Width, frame.Height);
        Copy(frame.GetPlane(0).Span, frame.GetStride(0), rowBytes0, rows0, _layout.FrameData(picture, 0), _layout.FrameLinesize(picture, 0));
        if (frame.Format == VideoPixelFormat.I420)
        {
            Copy(frame.GetPlane(1).Span, frame.GetStride(1), frame.ChromaWidth, frame.ChromaHeight, _layout.FrameData(picture, 1), _layout.FrameLinesize(picture, 1));
            Copy(frame.GetPlane(2).Span, frame.GetStride(2), frame.ChromaWidth, frame.ChromaHeight, _layout.FrameData(picture, 2), _layout.FrameLinesize(picture, 2));
        }
        else if (frame.Format == VideoPixelFormat.Nv12)
        {
            Copy(frame.GetPlane(1).Span, frame.GetStride(1), 2 * frame.ChromaWidth, frame.ChromaHeight, _layout.FrameData(picture, 1), _layout.FrameLinesize(picture, 1));
        }

        Published();
        return true;
    }

    /// <summary>
    /// Scales the picture into <paramref name="target"/> when it is newer than <paramref name="drawnVersion"/>;
    /// returns the version drawn, or <paramref name="drawnVersion"/> when there was nothing new.
    /// <paramref name="prepare"/> runs first with the picture's size (a letterboxed tile clears its bars when it changes).
    /// </summary>
    public long DrawIfNewer(long drawnVersion, TileScaler scaler, Func<int, int, PlanarTarget> prepare)
    {
        lock (_lock)
        {
            if (_disposed || _version == 0 || _version == drawnVersion)
            {
                return drawnVersion;
            }

            var picture = _picture.DangerousGetHandle();
            var target = prepare(_layout.FrameWidth(picture), _layout.FrameHeight(picture));
            scaler.Scale(picture, target);
            return _version;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _picture.Dispose();
        }
    }

    private void Published()
    {
        Interlocked.Exchange(ref _lastPictureTicks, Stopwatch.GetTimestamp());
        Interlocked.Increment(ref _version);
    }

    private static unsafe void Copy(ReadOnlySpan<byte> source, int sourceStride, int rowBytes, int rows, byte* destination, int linesize)
    {
        if (sourceStride < rowBytes || source.Length < ((long)sourceStride * (rows - 1)) + rowBytes)
        {
            throw new ArgumentException($"plane of {source.Length} bytes with stride {sourceStride} is too small for {rows} rows of {rowBytes} bytes");
        }

        for (var row = 0; row < rows; row++)
        {
            source.Slice(row * sourceStride, rowBytes).CopyTo(new Span<byte>(destination + ((long)row * linesize), rowBytes));
        }
    }
}
