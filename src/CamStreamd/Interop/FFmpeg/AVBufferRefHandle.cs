using Microsoft.Win32.SafeHandles;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>Owns one <c>AVBufferRef*</c> (a hardware device or frames context); released with <c>av_buffer_unref</c>.</summary>
internal sealed class AVBufferRefHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Creates an empty (invalid) handle.</summary>
    public AVBufferRefHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Takes ownership of <paramref name="bufferRef"/>; throws <see cref="FFmpegException"/> (ENOMEM) for 0.</summary>
    public static AVBufferRefHandle Own(nint bufferRef, string call)
    {
        var handle = new AVBufferRefHandle();
        handle.SetHandle(bufferRef);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new FFmpegException(call, FFmpegConstants.AVERROR_ENOMEM);
        }

        return handle;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        var ptr = handle;
        LibAvUtil.av_buffer_unref(ref ptr);
        return true;
    }
}
