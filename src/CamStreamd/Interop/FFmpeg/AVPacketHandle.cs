using Microsoft.Win32.SafeHandles;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>Owns an <c>AVPacket*</c>; released with <c>av_packet_free</c>.</summary>
internal sealed class AVPacketHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Creates an empty (invalid) handle; use <see cref="Allocate"/>.</summary>
    public AVPacketHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Allocates an empty packet.</summary>
    public static AVPacketHandle Allocate()
    {
        var handle = new AVPacketHandle();
        handle.SetHandle(LibAvCodec.av_packet_alloc());
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new FFmpegException(nameof(LibAvCodec.av_packet_alloc), FFmpegConstants.AVERROR_ENOMEM);
        }

        return handle;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        var ptr = handle;
        LibAvCodec.av_packet_free(ref ptr);
        return true;
    }
}
