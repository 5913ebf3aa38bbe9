using System.Runtime.InteropServices;
using CamStreamd.Interop.Libc;

namespace CamStreamd.Rtsp;

/// <summary>
/// The stream fan-out's write: as much as the socket takes now, never waiting. It keeps out of the
/// waiting writers' way without their semaphore, whose two objects and two monitor entries per
/// viewer per frame were cache misses on the fan-out's pass: a waiting writer announces itself
/// (<see cref="_waitingWriters"/>) before it takes the semaphore, a direct write marks itself
/// (<see cref="_directWriting"/>) and then looks for announced writers. Both steps are full
/// fences, so at least one side sees the other: the direct write stands aside, or the waiting
/// writer lets it finish (microseconds: it never waits) before it writes.
/// </summary>
internal sealed partial class RtspConnection
{
    private int _waitingWriters;
    private int _directWriting;

    /// <summary>
    /// Writes what the socket's buffer takes of <paramref name="data"/> at once (MSG_DONTWAIT), if
    /// no other writer holds the connection. Returns the bytes written: all of them, fewer (the
    /// buffer is full, or a response is being written: 0), or -1 when the connection is gone (it
    /// is then aborted). The caller sends the rest with <see cref="SendAsync"/>, which waits.
    /// </summary>
    public unsafe int TrySendNow(ReadOnlySpan<byte> data)
    {
        if (Interlocked.CompareExchange(ref _directWriting, 1, 0) != 0)
        {
            return 0;
        }

        // Read after the mark: an Abort that did not see the mark is seen here, and one that did
        // keeps the descriptor open until the mark is gone.
        if (Volatile.Read(ref _aborted) != 0)
        {
            Volatile.Write(ref _directWriting, 0);
            return -1;
        }

        if (Volatile.Read(ref _waitingWriters) != 0)
        {
            // A response or a drain writes, or waits to: the rest goes out after it.
            Volatile.Write(ref _directWriting, 0);
            return 0;
        }

        var peerGone = false;
        var failedErrno = 0;
        try
        {
            var fd = _fd;
            var written = 0;
            fixed (byte* bytes = data)
            {
                while (written < data.Length)
                {
                    var result = LibcNative.Send(fd, bytes + written, (nuint)(data.Length - written), LibcNative.MSG_DONTWAIT | LibcNative.MSG_NOSIGNAL);
                    if (result > 0)
                    {
                        written += (int)result;
                        continue;
                    }

                    var errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
                    if (errno == Errno.EINTR)
                    {
                        continue;
                    }

                    if (errno == Errno.EAGAIN)
                    {
                        return written;
                    }

                    // EPIPE, ECONNRESET, ...: the peer is gone. Aborted below, once the mark is
                    // gone: Abort waits for it.
                    peerGone = true;
                    failedErrno = errno;
                    return -1;
                }
            }

            return written;
        }
        finally
        {
            Volatile.Write(ref _directWriting, 0);
            if (peerGone)
            {
                _logger.DirectWriteFailed(Id, failedErrno);
                Abort();
            }
        }
    }

    /// <summary>Lets a direct write under way finish (a waiting writer holding the semaphore, or Abort).</summary>
    private void WaitForDirectWrite()
    {
        var spin = default(SpinWait);
        while (Volatile.Read(ref _directWriting) != 0)
        {
            spin.SpinOnce();
        }
    }
}
