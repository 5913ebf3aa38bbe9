using System.Runtime.InteropServices;
using CamStreamd.Interop.Libc;

namespace CamStreamd.Rtsp;

/// <summary>The stream fan-out's write: as much as the socket takes now, never waiting.</summary>
internal sealed partial class RtspConnection
{
    /// <summary>
    /// Writes what the socket's buffer takes of <paramref name="data"/> at once (MSG_DONTWAIT), if
    /// no other writer holds the connection. Returns the bytes written: all of them, fewer (the
    /// buffer is full, or a response is being written: 0), or -1 when the connection is gone (it
    /// is then aborted). The caller sends the rest with <see cref="SendAsync"/>, which waits.
    /// </summary>
    public unsafe int TrySendNow(ReadOnlySpan<byte> data)
    {
        if (Volatile.Read(ref _aborted) != 0)
        {
            return -1;
        }

        try
        {
            if (!_writeLock.Wait(0))
            {
                return 0;
            }
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }

        var handleAdded = false;
        var peerGone = false;
        var failedErrno = 0;
        try
        {
            _socket.SafeHandle.DangerousAddRef(ref handleAdded);
            var fd = (int)_socket.SafeHandle.DangerousGetHandle();
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

                    // EPIPE, ECONNRESET, ...: the peer is gone. Aborted below, once the handle's
                    // reference is released: closing a socket waits (spinning) until nobody holds one.
                    peerGone = true;
                    failedErrno = errno;
                    return -1;
                }
            }

            return written;
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        finally
        {
            if (handleAdded)
            {
                _socket.SafeHandle.DangerousRelease();
            }

            _writeLock.Release();
            if (peerGone)
            {
                _logger.DirectWriteFailed(Id, failedErrno);
                Abort();
            }
        }
    }
}
