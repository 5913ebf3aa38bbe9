using Microsoft.Win32.SafeHandles;

namespace CamStreamd.Interop.Libc;

/// <summary>An open file descriptor, closed once by <c>close(2)</c>.</summary>
internal sealed class FileDescriptorHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>Creates an invalid handle (for the marshaller).</summary>
    public FileDescriptorHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>Opens <paramref name="path"/> with <paramref name="flags"/>; throws <see cref="LibcException"/> on failure.</summary>
    public static FileDescriptorHandle Open(string path, int flags)
    {
        var fd = LibcNative.Open(path, flags);
        if (fd < 0)
        {
            throw Errno.Last("open", path);
        }

        var handle = new FileDescriptorHandle();
        handle.SetHandle(fd);
        return handle;
    }

    /// <summary>The raw descriptor (valid while the handle is open).</summary>
    public int Fd => (int)handle;

    /// <inheritdoc/>
    /// <remarks>fd 0 is a valid descriptor, but the daemon never owns stdin, so "zero is invalid" is safe.</remarks>
    protected override bool ReleaseHandle() => LibcNative.Close((int)handle) == 0;
}
