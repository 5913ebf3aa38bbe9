using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Libc;

/// <summary>A shared mapping of a device buffer (<c>mmap</c>), unmapped once by <c>munmap</c>.</summary>
internal sealed class MemoryMappingHandle : SafeHandle
{
    private MemoryMappingHandle(nint address, int length)
        : base(LibcNative.MapFailed, ownsHandle: true)
    {
        SetHandle(address);
        Length = length;
    }

    /// <summary>Bytes mapped.</summary>
    public int Length { get; }

    /// <inheritdoc/>
    public override bool IsInvalid => handle == LibcNative.MapFailed || handle == 0;

    /// <summary>Maps <paramref name="length"/> bytes of <paramref name="fd"/> at <paramref name="offset"/> read/write, shared.</summary>
    public static MemoryMappingHandle Map(FileDescriptorHandle fd, long offset, int length, string path)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        var address = LibcNative.Mmap(0, (nuint)length, LibcNative.PROT_READ | LibcNative.PROT_WRITE, LibcNative.MAP_SHARED, fd.Fd, offset);
        if (address == LibcNative.MapFailed)
        {
            throw Errno.Last("mmap", path);
        }

        return new MemoryMappingHandle(address, length);
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => LibcNative.Munmap(handle, (nuint)Length) == 0;
}
