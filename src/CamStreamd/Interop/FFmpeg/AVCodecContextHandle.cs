using Microsoft.Win32.SafeHandles;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>Owns an <c>AVCodecContext*</c>; released with <c>avcodec_free_context</c>.</summary>
internal sealed class AVCodecContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Creates an empty (invalid) handle; use <see cref="Allocate"/>.</summary>
    public AVCodecContextHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Allocates a context with <paramref name="codec"/>'s defaults and private options.</summary>
    public static AVCodecContextHandle Allocate(nint codec)
    {
        var handle = new AVCodecContextHandle();
        handle.SetHandle(LibAvCodec.avcodec_alloc_context3(codec));
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new FFmpegException(nameof(LibAvCodec.avcodec_alloc_context3), FFmpegConstants.AVERROR_ENOMEM);
        }

        return handle;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        var ptr = handle;
        LibAvCodec.avcodec_free_context(ref ptr);
        return true;
    }
}
