using Microsoft.Win32.SafeHandles;

namespace CamStreamd.Interop.X264;

/// <summary>Owns an <c>x264_t*</c>; released with <c>x264_encoder_close</c> (pending pictures are dropped).</summary>
internal sealed class X264EncoderHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Creates an empty (invalid) handle; use <see cref="Open"/>.</summary>
    public X264EncoderHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>
    /// Opens an encoder with <paramref name="parameters"/> (x264 copies them; the caller may
    /// dispose them afterwards). Throws <see cref="X264Exception"/> when x264 refuses them (its
    /// own log line on stderr says why).
    /// </summary>
    public static X264EncoderHandle Open(X264Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var handle = new X264EncoderHandle();
        handle.SetHandle(LibX264.EncoderOpen(parameters.Address));
        if (handle.IsInvalid)
        {
            handle.Dispose();
            throw new X264Exception(
                $"x264_encoder_open refused the parameters ({parameters.Describe()})");
        }

        return handle;
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        LibX264.EncoderClose(handle);
        return true;
    }
}
