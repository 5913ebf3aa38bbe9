using Microsoft.Win32.SafeHandles;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>Owns an <c>AVFrame*</c>; released with <c>av_frame_free</c> (which also drops its buffers).</summary>
internal sealed class AVFrameHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Creates an empty (invalid) handle; use <see cref="Allocate"/>.</summary>
    public AVFrameHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Allocates an empty frame (no buffers yet).</summary>
    public static AVFrameHandle Allocate()
    {
        var handle = new AVFrameHandle();
        handle.SetHandle(LibAvUtil.av_frame_alloc());
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new FFmpegException(nameof(LibAvUtil.av_frame_alloc), FFmpegConstants.AVERROR_ENOMEM);
        }

        return handle;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        var ptr = handle;
        LibAvUtil.av_frame_free(ref ptr);
        return true;
    }
}
