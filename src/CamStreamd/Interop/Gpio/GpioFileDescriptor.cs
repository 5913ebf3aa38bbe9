using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Gpio;

/// <summary>An open GPIO chip or line-request file descriptor, closed on dispose.</summary>
internal sealed class GpioFileDescriptor : SafeHandle
{
    /// <summary>Takes ownership of <paramref name="fd"/>.</summary>
    public GpioFileDescriptor(int fd)
        : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    /// <inheritdoc />
    public override bool IsInvalid => handle == -1;

    /// <summary>The descriptor number.</summary>
    public int Fd => (int)handle;

    /// <inheritdoc />
    protected override bool ReleaseHandle() => GpioNative.close((int)handle) == 0;
}
