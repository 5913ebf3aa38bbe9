using System.Buffers;
using System.Runtime.InteropServices;
using CamStreamd.Interop.FFmpeg;
using CamStreamd.Media;

namespace CamStreamd.Encoding;

/// <summary>
/// Hands a captured picture to an encoder without copying it: an <c>AVFrame</c> whose planes
/// point into the <see cref="VideoFrame"/>'s own memory (pinned while borrowed), each plane
/// wrapped in a read-only <c>AVBufferRef</c> with a no-op free, so <c>avcodec_send_frame</c>
/// takes a reference instead of copying the picture (it copies non-refcounted frames).
/// </summary>
/// <remarks>
/// Only for encoders that are done with the picture when <c>avcodec_send_frame</c> and the
/// drain that follows return: libx264's wrapper passes the planes to <c>x264_encoder_encode</c>,
/// which copies them into its own lookahead frames, and FFmpeg drops its reference right after.
/// <see cref="Return"/> checks that with the buffer's reference count; hardware wrappers may keep
/// input frames queued and always get a copy instead.
/// </remarks>
internal sealed unsafe class BorrowedPicture : IDisposable
{
    private const int MaxPlanes = 3;

    private readonly FFmpegLayout _layout;
    private readonly AVFrameHandle _frame;
    private MemoryHandle _pin0;
    private MemoryHandle _pin1;
    private MemoryHandle _pin2;

    // Our own reference to plane 0's buffer: its count tells whether the encoder still holds the picture.
    private nint _probe;

    public BorrowedPicture(FFmpegLayout layout)
    {
        _layout = layout;
        _frame = AVFrameHandle.Allocate();
    }

    /// <summary>The frame to send (valid between <see cref="Lend"/> and <see cref="Return"/>).</summary>
    public AVFrameHandle Frame => _frame;

    /// <summary>
    /// True when <paramref name="frame"/> can be lent as it is: a raw picture in
    /// <paramref name="pixelFormat"/> at exactly <paramref name="width"/>x<paramref name="height"/>.
    /// </summary>
    public static bool CanLend(VideoFrame frame, int pixelFormat, int width, int height) =>
        !frame.IsCompressed
        && PictureConverter.ToAvPixelFormat(frame.Format) == pixelFormat
        && frame.Width == width
        && frame.Height == height
        && frame.PlaneCount <= MaxPlanes;

    /// <summary>Points <see cref="Frame"/> at <paramref name="frame"/>'s planes.</summary>
    public void Lend(VideoFrame frame, int pixelFormat)
    {
        if (_probe != 0)
        {
            throw new InvalidOperationException("a picture is still lent");
        }

        LibAvUtil.av_frame_unref(_frame);
        var frameHandle = _frame.DangerousGetHandle();
        _layout.SetFrameGeometry(frameHandle, pixelFormat, frame.Width, frame.Height);
        try
        {
            _pin0 = Wrap(frameHandle, 0, frame.GetPlane(0), frame.GetStride(0));
            if (frame.PlaneCount > 1)
            {
                _pin1 = Wrap(frameHandle, 1, frame.GetPlane(1), frame.GetStride(1));
            }

            if (frame.PlaneCount > 2)
            {
                _pin2 = Wrap(frameHandle, 2, frame.GetPlane(2), frame.GetStride(2));
            }

            _probe = LibAvUtil.av_buffer_ref_raw(BufferAt(frameHandle, 0));
            if (_probe == 0)
            {
                throw new FFmpegException(nameof(LibAvUtil.av_buffer_ref), FFmpegConstants.AVERROR_ENOMEM);
            }
        }
        catch
        {
            LibAvUtil.av_frame_unref(_frame);
            Unpin();
            throw;
        }
    }

    /// <summary>
    /// Drops the frame's references and unpins the planes. Returns false when the encoder still
    /// holds the picture: the planes then stay pinned until <see cref="Dispose"/> (after the codec
    /// context is freed), and the caller must lend no more pictures.
    /// </summary>
    public bool Return()
    {
        LibAvUtil.av_frame_unref(_frame);
        var released = _probe == 0 || LibAvUtil.av_buffer_get_ref_count(_probe) == 1;
        if (_probe != 0)
        {
            LibAvUtil.av_buffer_unref(ref _probe);
        }

        if (released)
        {
            Unpin();
        }

        return released;
    }

    public void Dispose()
    {
        LibAvUtil.av_frame_unref(_frame);
        if (_probe != 0)
        {
            LibAvUtil.av_buffer_unref(ref _probe);
        }

        _frame.Dispose();
        Unpin();
    }

    [UnmanagedCallersOnly]
    private static void KeepMemory(nint opaque, byte* data)
    {
        // The memory belongs to the VideoFrame's owner (pool or driver buffer); nothing to free.
    }

    private nint BufferAt(nint frame, int index) => ((nint*)(frame + _layout.AVFrame_buf))[index];

    private MemoryHandle Wrap(nint frameHandle, int plane, Memory<byte> memory, int stride)
    {
        var pin = memory.Pin();
        var data = (byte*)pin.Pointer;
        var buffer = LibAvUtil.av_buffer_create(data, (nuint)memory.Length, &KeepMemory, 0, FFmpegConstants.AV_BUFFER_FLAG_READONLY);
        if (buffer == 0)
        {
            pin.Dispose();
            throw new FFmpegException(nameof(LibAvUtil.av_buffer_create), FFmpegConstants.AVERROR_ENOMEM);
        }

        _layout.SetFrameBuffer(frameHandle, plane, buffer);
        _layout.SetFramePlane(frameHandle, plane, data, stride);
        return pin;
    }

    private void Unpin()
    {
        _pin0.Dispose();
        _pin1.Dispose();
        _pin2.Dispose();
        (_pin0, _pin1, _pin2) = (default, default, default);
    }
}
