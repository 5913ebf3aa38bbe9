using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Libc;

/// <summary>
/// The glibc calls used for device access (open, close, ioctl, mmap, munmap, poll), for batched
/// UDP sends (sendmmsg) and non-blocking stream writes (send), and for sleeping to an absolute
/// deadline (clock_gettime, clock_nanosleep). Every call
/// records errno (<c>SetLastError</c>); <see cref="Errno"/> turns a failure into a typed exception.
/// Request codes are <c>unsigned long</c> in glibc's <c>ioctl</c>, passed as a 64-bit value.
/// </summary>
internal static unsafe partial class LibcNative
{
    private const string Library = "libc";

    /// <summary><c>O_RDWR</c> (fcntl.h).</summary>
    public const int O_RDWR = 2;

    /// <summary><c>O_NONBLOCK</c> (fcntl.h, x86-64 and arm64): DQBUF returns EAGAIN instead of blocking.</summary>
    public const int O_NONBLOCK = 0x800;

    /// <summary><c>O_CLOEXEC</c> (fcntl.h): the fd does not leak into ffmpeg or other children.</summary>
    public const int O_CLOEXEC = 0x80000;

    /// <summary><c>PROT_READ</c> (mman.h).</summary>
    public const int PROT_READ = 1;

    /// <summary><c>PROT_WRITE</c> (mman.h).</summary>
    public const int PROT_WRITE = 2;

    /// <summary><c>MAP_SHARED</c> (mman.h).</summary>
    public const int MAP_SHARED = 1;

    /// <summary><c>MSG_DONTWAIT</c> (sys/socket.h): fail with EAGAIN instead of blocking.</summary>
    public const int MSG_DONTWAIT = 0x40;

    /// <summary><c>MSG_NOSIGNAL</c> (sys/socket.h): no SIGPIPE.</summary>
    public const int MSG_NOSIGNAL = 0x4000;

    /// <summary><c>MAP_FAILED</c>: <c>(void *)-1</c>.</summary>
    public static readonly nint MapFailed = -1;

    /// <summary><c>int open(const char *path, int flags)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    /// <summary><c>int close(int fd)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary><c>int ioctl(int fd, unsigned long request, void *arg)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "ioctl", SetLastError = true)]
    public static partial int Ioctl(int fd, nuint request, void* argument);

    /// <summary><c>void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "mmap", SetLastError = true)]
    public static partial nint Mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    /// <summary><c>int munmap(void *addr, size_t length)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "munmap", SetLastError = true)]
    public static partial int Munmap(nint address, nuint length);

    /// <summary><c>int poll(struct pollfd *fds, nfds_t nfds, int timeout)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    /// <summary>
    /// <c>int sendmmsg(int sockfd, struct mmsghdr *msgvec, unsigned int vlen, int flags)</c>: sends
    /// up to <paramref name="count"/> datagrams in one system call; returns how many went, or -1.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "sendmmsg", SetLastError = true)]
    public static partial int SendMMsg(int fd, MMsgHdr* messages, uint count, int flags);

    /// <summary><c>ssize_t send(int sockfd, const void *buf, size_t len, int flags)</c>: bytes the kernel took, or -1.</summary>
    [LibraryImport(Library, EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    /// <summary><c>CLOCK_MONOTONIC</c> (time.h): the clock <see cref="System.Diagnostics.Stopwatch"/> reads on Linux.</summary>
    public const int CLOCK_MONOTONIC = 1;

    /// <summary><c>TIMER_ABSTIME</c> (time.h): the sleep ends at the given time, not after it.</summary>
    public const int TIMER_ABSTIME = 1;

    /// <summary><c>int clock_gettime(clockid_t clockid, struct timespec *tp)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "clock_gettime", SetLastError = true)]
    public static partial int ClockGetTime(int clock, TimeSpec* time);

    /// <summary>
    /// <c>int clock_nanosleep(clockid_t clockid, int flags, const struct timespec *request, struct timespec *remain)</c>:
    /// returns 0 or the error number itself (it does not set errno), EINTR when a signal woke it.
    /// </summary>
    [LibraryImport(Library, EntryPoint = "clock_nanosleep")]
    public static partial int ClockNanosleep(int clock, int flags, TimeSpec* request, TimeSpec* remain);

    /// <summary><c>PR_SET_THP_DISABLE</c> (linux/prctl.h): no transparent huge pages for this process, whatever it madvises.</summary>
    public const int PR_SET_THP_DISABLE = 41;

    /// <summary><c>int prctl(int option, unsigned long arg2, unsigned long arg3, unsigned long arg4, unsigned long arg5)</c>.</summary>
    [LibraryImport(Library, EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
