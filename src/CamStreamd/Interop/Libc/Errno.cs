using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Libc;

/// <summary>errno values (asm-generic/errno-base.h, the same on x86-64 and arm64) and the one place that turns them into exceptions.</summary>
internal static class Errno
{
    /// <summary>No such file or directory.</summary>
    public const int ENOENT = 2;

    /// <summary>Interrupted system call.</summary>
    public const int EINTR = 4;

    /// <summary>I/O error.</summary>
    public const int EIO = 5;

    /// <summary>No such device or address.</summary>
    public const int ENXIO = 6;

    /// <summary>Bad file descriptor (a socket already closed).</summary>
    public const int EBADF = 9;

    /// <summary>Try again (non-blocking DQBUF with no filled buffer).</summary>
    public const int EAGAIN = 11;

    /// <summary>Permission denied.</summary>
    public const int EACCES = 13;

    /// <summary>Device or resource busy (another process streams from the camera).</summary>
    public const int EBUSY = 16;

    /// <summary>No such device: the camera was unplugged or its driver unloaded.</summary>
    public const int ENODEV = 19;

    /// <summary>Invalid argument (also the end of an ENUM_* list).</summary>
    public const int EINVAL = 22;

    /// <summary>Inappropriate ioctl for device (not a V4L2 node).</summary>
    public const int ENOTTY = 25;

    /// <summary>Creates a <see cref="LibcException"/> for the errno of the last failed call (the caller throws it).</summary>
    public static LibcException Last(string operation, string? path) =>
        new(Marshal.GetLastPInvokeError(), operation, path);

    /// <summary>A short name of <paramref name="errno"/> for messages.</summary>
    public static string Name(int errno) => errno switch
    {
        ENOENT => "ENOENT",
        EINTR => "EINTR",
        EIO => "EIO",
        ENXIO => "ENXIO",
        EBADF => "EBADF",
        EAGAIN => "EAGAIN",
        EACCES => "EACCES",
        EBUSY => "EBUSY",
        ENODEV => "ENODEV",
        EINVAL => "EINVAL",
        ENOTTY => "ENOTTY",
        _ => "errno " + errno.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
