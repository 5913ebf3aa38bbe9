using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Libc;

/// <summary><c>struct pollfd</c> (poll.h): 8 bytes, the same on every Linux architecture.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PollFd
{
    /// <summary><c>POLLIN</c>: data (a filled capture buffer) to read.</summary>
    public const short POLLIN = 0x001;

    /// <summary><c>POLLERR</c>: the device reports an error (V4L2: queue error, not streaming, device gone).</summary>
    public const short POLLERR = 0x008;

    /// <summary><c>POLLHUP</c>: hang-up.</summary>
    public const short POLLHUP = 0x010;

    /// <summary><c>POLLNVAL</c>: the fd is not open.</summary>
    public const short POLLNVAL = 0x020;

    /// <summary><c>int fd</c>.</summary>
    public int Fd;

    /// <summary><c>short events</c>: requested.</summary>
    public short Events;

    /// <summary><c>short revents</c>: returned.</summary>
    public short ReturnedEvents;
}
