using Microsoft.Win32.SafeHandles;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>
/// Owns an output <c>AVFormatContext*</c>: released by closing its I/O context (<c>avio_closep</c>
/// on <c>pb</c>, when open) and <c>avformat_free_context</c>. The trailer is the owner's to write before.
/// </summary>
internal sealed class AVFormatContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private int _pbOffset = -1;

    /// <summary>Creates an empty (invalid) handle; use <see cref="AllocateOutput"/>.</summary>
    public AVFormatContextHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>An output context for <paramref name="format"/> (a muxer name) writing <paramref name="url"/>.</summary>
    public static AVFormatContextHandle AllocateOutput(string format, string url, int pbOffset)
    {
        FFmpegException.ThrowIfError(LibAvFormat.avformat_alloc_output_context2(out var ctx, 0, format, url), nameof(LibAvFormat.avformat_alloc_output_context2));
        var handle = new AVFormatContextHandle { _pbOffset = pbOffset };
        handle.SetHandle(ctx);
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new FFmpegException(nameof(LibAvFormat.avformat_alloc_output_context2), FFmpegConstants.AVERROR_ENOMEM);
        }

        return handle;
    }

    /// <summary>Closes <c>ctx-&gt;pb</c> (flushing it) when open; safe to call twice.</summary>
    public unsafe int ClosePb() => _pbOffset < 0 || IsInvalid ? 0 : LibAvFormat.avio_closep((nint*)(handle + _pbOffset));

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        ClosePb();
        LibAvFormat.avformat_free_context(handle);
        return true;
    }
}
