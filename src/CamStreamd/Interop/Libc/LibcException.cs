using System.Globalization;
using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Libc;

/// <summary>A failed libc call: which call, on which path, and errno (with its text).</summary>
public sealed class LibcException : IOException
{
    /// <summary>Creates the exception for <paramref name="errno"/> from <paramref name="operation"/> on <paramref name="path"/>.</summary>
    public LibcException(int errno, string operation, string? path)
        : base(Describe(errno, operation, path))
    {
        ErrorNumber = errno;
        Operation = operation;
        DevicePath = path;
        HResult = errno;
    }

    /// <summary>errno.</summary>
    public int ErrorNumber { get; }

    /// <summary>The call that failed (<c>open</c>, <c>VIDIOC_DQBUF</c>, ...).</summary>
    public string Operation { get; }

    /// <summary>The device the call was for, when known.</summary>
    public string? DevicePath { get; }

    /// <summary>True when the device is gone (unplugged, driver unloaded): ENODEV, ENXIO, or ENOENT at open.</summary>
    public bool IsDeviceGone => ErrorNumber is Errno.ENODEV or Errno.ENXIO or Errno.ENOENT;

    private static string Describe(int errno, string operation, string? path)
    {
        var text = Marshal.GetPInvokeErrorMessage(errno);
        var where = path is null ? string.Empty : " on " + path;
        return string.Create(CultureInfo.InvariantCulture, $"{operation}{where} failed: {Errno.Name(errno)} ({text})");
    }
}
