using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Systemd;

/// <summary>
/// The two libc calls the systemd integration needs: <c>fstat</c> (is stdout the journal?) and
/// <c>clock_gettime(CLOCK_MONOTONIC)</c> (the <c>MONOTONIC_USEC=</c> of a reload).
/// </summary>
internal static unsafe partial class SystemdLibc
{
    /// <summary>CLOCK_MONOTONIC (linux/time.h), the clock systemd compares MONOTONIC_USEC with.</summary>
    public const int CLOCK_MONOTONIC = 1;

    /// <summary>
    /// Bytes reserved for <c>struct stat</c>: 144 on x86-64, 128 on arm64 (asm-generic). Only the
    /// first 16 are read: <c>st_dev</c> (u64 at 0) and <c>st_ino</c> (u64 at 8) on both.
    /// </summary>
    private const int StatBufferSize = 256;

    /// <summary>The device and inode of open file descriptor <paramref name="fd"/>, or null when fstat fails.</summary>
    public static (ulong Device, ulong Inode)? GetDeviceAndInode(int fd)
    {
        var buffer = stackalloc byte[StatBufferSize];
        if (fstat(fd, buffer) != 0)
        {
            return null;
        }

        return (*(ulong*)buffer, *(ulong*)(buffer + 8));
    }

    /// <summary>CLOCK_MONOTONIC now, in microseconds.</summary>
    /// <exception cref="InvalidOperationException">clock_gettime failed (it does not on Linux).</exception>
    public static long MonotonicMicroseconds()
    {
        // struct timespec { time_t tv_sec; long tv_nsec; }: two 64-bit longs on x86-64 and arm64.
        var ts = stackalloc long[2];
        if (clock_gettime(CLOCK_MONOTONIC, ts) != 0)
        {
            throw new InvalidOperationException($"clock_gettime(CLOCK_MONOTONIC) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        return (ts[0] * 1_000_000) + (ts[1] / 1_000);
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fstat(int fd, byte* buf);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clockid, long* tp);
}
