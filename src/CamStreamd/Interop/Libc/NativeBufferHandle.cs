using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace CamStreamd.Interop.Libc;

/// <summary>Owns a zeroed block of native memory (structures handed to system calls); freed with the handle.</summary>
internal sealed unsafe class NativeBufferHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private NativeBufferHandle(nuint length)
        : base(ownsHandle: true)
    {
        Length = length;
        SetHandle((nint)NativeMemory.AllocZeroed(length));
    }

    /// <summary>Size in bytes.</summary>
    public nuint Length { get; }

    /// <summary>Allocates <paramref name="length"/> zeroed bytes.</summary>
    public static NativeBufferHandle Allocate(nuint length) => new(length);

    /// <inheritdoc/>
    protected override bool ReleaseHandle()
    {
        NativeMemory.Free((void*)handle);
        return true;
    }
}
