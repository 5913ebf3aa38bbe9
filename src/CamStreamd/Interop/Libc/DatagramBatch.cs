using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Libc;

/// <summary>
/// The <c>sendmmsg</c> loop both UDP senders share (RTSP's per-viewer <c>UdpBatchSender</c> and the
/// WebRTC port): prepared messages go out without blocking, a partial send goes on from the first
/// datagram left, an interrupted call is retried, and any other outcome stops the loop.
/// </summary>
internal static unsafe class DatagramBatch
{
    /// <summary>
    /// Sends <paramref name="messages"/>[0..<paramref name="count"/>) on <paramref name="fd"/>
    /// (MSG_DONTWAIT | MSG_NOSIGNAL); returns how many went. <paramref name="errno"/> is 0 when all
    /// went or the kernel took none without an error, else the error that stopped the loop (EAGAIN:
    /// the send buffer is full; ECONNREFUSED: an earlier datagram's port was closed; ...).
    /// </summary>
    public static int SendAll(int fd, MMsgHdr* messages, int count, out int errno)
    {
        var sent = 0;
        errno = 0;
        while (sent < count)
        {
            var result = LibcNative.SendMMsg(fd, messages + sent, (uint)(count - sent), LibcNative.MSG_DONTWAIT | LibcNative.MSG_NOSIGNAL);
            if (result > 0)
            {
                sent += result;
                continue;
            }

            errno = result < 0 ? Marshal.GetLastPInvokeError() : 0;
            if (errno != Errno.EINTR)
            {
                break;
            }
        }

        return sent;
    }

    /// <summary>
    /// <see cref="SendAll(int, MMsgHdr*, int, out int)"/> on <paramref name="socket"/>, held open for
    /// the call; a socket already closed (the server or port stops) sends nothing, with EBADF.
    /// </summary>
    public static int SendAll(SafeHandle socket, MMsgHdr* messages, int count, out int errno)
    {
        var added = false;
        try
        {
            socket.DangerousAddRef(ref added);
            return SendAll((int)socket.DangerousGetHandle(), messages, count, out errno);
        }
        catch (ObjectDisposedException)
        {
            errno = Errno.EBADF;
            return 0;
        }
        finally
        {
            if (added)
            {
                socket.DangerousRelease();
            }
        }
    }
}
