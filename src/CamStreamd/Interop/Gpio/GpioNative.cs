using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Gpio;

/// <summary>The libc calls of the GPIO character device: open, ioctl, close (native names verbatim).</summary>
internal static unsafe partial class GpioNative
{
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string pathname, int flags);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int ioctl(int fd, nuint request, void* argp);

    [LibraryImport("libc", SetLastError = true)]
    public static partial int close(int fd);
}
