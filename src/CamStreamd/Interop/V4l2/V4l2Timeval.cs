using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary><c>struct timeval</c> as in <c>v4l2_buffer.timestamp</c> on 64-bit: seconds and microseconds, 16 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct V4l2Timeval
{
    /// <summary><c>tv_sec</c>.</summary>
    public long Seconds;

    /// <summary><c>tv_usec</c>.</summary>
    public long Microseconds;
}
