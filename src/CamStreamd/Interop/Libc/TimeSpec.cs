using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Libc;

/// <summary><c>struct timespec</c> (time.h) on 64-bit Linux (x86-64, arm64): 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct TimeSpec
{
    private const long NanosecondsPerSecond = 1_000_000_000;

    /// <summary><c>time_t tv_sec</c>.</summary>
    public long Seconds;

    /// <summary><c>long tv_nsec</c>: 0 to 999 999 999.</summary>
    public long Nanoseconds;

    /// <summary>The time as nanoseconds.</summary>
    public readonly long TotalNanoseconds => (Seconds * NanosecondsPerSecond) + Nanoseconds;

    /// <summary>A timespec for <paramref name="nanoseconds"/> (not negative).</summary>
    public static TimeSpec FromNanoseconds(long nanoseconds) =>
        new() { Seconds = nanoseconds / NanosecondsPerSecond, Nanoseconds = nanoseconds % NanosecondsPerSecond };
}
