using Microsoft.Win32.SafeHandles;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>Owns a <c>struct SwsContext*</c>; released with <c>sws_freeContext</c>.</summary>
internal sealed class SwsContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Creates an empty (invalid) handle; use <see cref="Create"/>.</summary>
    public SwsContextHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>A converter from <paramref name="srcFormat"/> to <paramref name="dstFormat"/> at one size (no scaling).</summary>
    public static SwsContextHandle Create(int width, int height, int srcFormat, int dstFormat) =>
        Create(width, height, srcFormat, width, height, dstFormat);

    /// <summary>A converter from <paramref name="srcFormat"/> at one size to <paramref name="dstFormat"/> at another (bilinear scaling).</summary>
    public static SwsContextHandle Create(int srcWidth, int srcHeight, int srcFormat, int dstWidth, int dstHeight, int dstFormat)
    {
        var handle = new SwsContextHandle();
        handle.SetHandle(LibSwscale.sws_getContext(
            srcWidth, srcHeight, srcFormat, dstWidth, dstHeight, dstFormat, FFmpegConstants.SWS_BILINEAR, 0, 0, 0));
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new FFmpegException($"sws_getContext({srcFormat} {srcWidth}x{srcHeight} -> {dstFormat} {dstWidth}x{dstHeight})", FFmpegConstants.AVERROR_EINVAL);
        }

        return handle;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        LibSwscale.sws_freeContext(handle);
        return true;
    }
}
