using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Gpio;

/// <summary>A GPIO chip or line could not be opened, requested or set; names the device, the line and the errno.</summary>
public sealed class GpioException : IOException
{
    /// <summary>ENOENT: no such file (the chip node does not exist).</summary>
    public const int ENOENT = 2;

    /// <summary>EBUSY: the line is held by another consumer.</summary>
    public const int EBUSY = 16;

    /// <summary>EINVAL: bad request (e.g. an offset beyond the chip's lines).</summary>
    public const int EINVAL = 22;

    /// <summary>Creates an exception.</summary>
    public GpioException()
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/>.</summary>
    public GpioException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with <paramref name="message"/> and its cause.</summary>
    public GpioException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception for a failed call that set <paramref name="errno"/>.</summary>
    public GpioException(string message, int errno)
        : base(message)
    {
        Errno = errno;
    }

    /// <summary>The errno of the failed call; 0 when not from a system call.</summary>
    public int Errno { get; }

    /// <summary>
    /// The one place errno becomes an exception: "<paramref name="what"/>: No such file or directory (errno 2)".
    /// </summary>
    public static GpioException FromErrno(string what, int errno) =>
        new($"{what}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
}
