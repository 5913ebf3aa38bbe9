using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CamStreamd.Interop.Libc;

namespace CamStreamd.Rtsp;

/// <summary>
/// The connection's two kinds of writer. Waiting writers (<see cref="SendAsync"/>: responses, a
/// viewer's drain) take turns on a semaphore and wait for room. The stream fan-out's direct write
/// (<see cref="TrySendNow"/>) writes as much as the socket takes now, never waiting, and keeps out
/// of the waiting writers' way without their semaphore, whose two objects and two monitor entries per
/// viewer per frame were cache misses on the fan-out's pass: a waiting writer announces itself
/// (<see cref="_waitingWriters"/>) before it takes the semaphore, a direct write marks itself
/// (<see cref="_directWriting"/>) and then looks for announced writers. Both steps are full
/// fences, so at least one side sees the other: the direct write stands aside, or the waiting
/// writer lets it finish (microseconds: it never waits) before it writes. A direct write that
/// leaves part of a frame on the wire keeps the connection (<see cref="_restPending"/>) until its
/// rest is written (<see cref="SendRestOfDirectWriteAsync"/>): any other bytes in between would
/// land inside the frame and break the interleaved stream.
/// </summary>
internal sealed partial class RtspConnection
{
    private static readonly TimeSpan RestPollInterval = TimeSpan.FromMilliseconds(2);

    private readonly CancellationTokenSource _restStallCts = new();
    private int _waitingWriters;
    private int _directWriting;
    private int _restPending;

    /// <summary>
    /// Writes <paramref name="data"/> to the socket, serialized with every other writer of this
    /// connection. False when the connection is gone or stalled (it is then aborted).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        var stall = _server.Options.SendStallTimeout;

        // Announced before the lock: from here on the fan-out's direct writes stand aside.
        Interlocked.Increment(ref _waitingWriters);
        try
        {
            try
            {
                if (!await _writeLock.WaitAsync(stall, cancellationToken).ConfigureAwait(false))
                {
                    // Another writer has been stuck for the whole stall timeout; it will abort us.
                    return false;
                }
            }
            catch (ObjectDisposedException)
            {
                return false;
            }

            try
            {
                WaitForDirectWrite();
                return await WaitForRestAsync(stall, cancellationToken).ConfigureAwait(false)
                    && await WriteAsync(data, _stallCts, stall).ConfigureAwait(false);
            }
            finally
            {
                _writeLock.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waitingWriters);
        }
    }

    /// <summary>
    /// Writes <paramref name="data"/>, waiting for room; a client that takes nothing for
    /// <paramref name="stall"/> is disconnected. The caller holds the connection. False (and the
    /// connection aborted) when it is gone or stalled.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> WriteAsync(ReadOnlyMemory<byte> data, CancellationTokenSource stallCts, TimeSpan stall)
    {
        try
        {
            if (Volatile.Read(ref _aborted) != 0)
            {
                return false;
            }

            // One CTS per writer kind, re-armed per write (no allocation per frame).
            stallCts.CancelAfter(stall);
            await _stream.WriteAsync(data, stallCts.Token).ConfigureAwait(false);
            if (!stallCts.TryReset())
            {
                throw new OperationCanceledException(stallCts.Token);
            }

            return true;
        }
        catch (OperationCanceledException) when (stallCts.IsCancellationRequested)
        {
            _logger.SlowClient(Id, RemoteEndPoint, stall.TotalSeconds);
            Abort();
            return false;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            _logger.ConnectionIoEnded(Id, ex);
            Abort();
            return false;
        }
    }

    /// <summary>
    /// Writes what the socket's buffer takes of <paramref name="data"/> at once (MSG_DONTWAIT), if
    /// no other writer holds the connection. Returns the bytes written: all of them, fewer (the
    /// buffer is full, or a response is being written: 0), or -1 when the connection is gone (it
    /// is then aborted). The caller sends the rest: with <see cref="SendRestOfDirectWriteAsync"/>
    /// when some was written (it must), else with <see cref="SendAsync"/>; both wait.
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

        if (Volatile.Read(ref _waitingWriters) != 0 || Volatile.Read(ref _restPending) != 0)
        {
            // A response or a drain writes, or waits to, or a frame's rest is due: this goes after it.
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
                        // Set before the mark goes: whoever waits for the mark sees the rest is due.
                        Volatile.Write(ref _restPending, written > 0 ? 1 : 0);
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

    /// <summary>
    /// Writes the rest of a frame a direct write began (<paramref name="rest"/>), waiting for room up
    /// to the stall timeout, then hands the connection back. Not serialized by the semaphore: the
    /// pending rest holds the connection (other writers wait for it), so a response waiting with
    /// the semaphore held does not block it. A rest that cannot be written aborts the connection:
    /// the stream would be cut inside a frame.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SendRestOfDirectWriteAsync(ReadOnlyMemory<byte> rest)
    {
        try
        {
            return await WriteAsync(rest, _restStallCts, _server.Options.SendStallTimeout).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _restPending, 0);
        }
    }

    /// <summary>
    /// Called by a waiting writer holding the semaphore, after <see cref="WaitForDirectWrite"/>:
    /// waits (polling, only while a rest is due) for the rest of a frame a direct write began.
    /// False when it did not come within <paramref name="stall"/> or the connection is gone.
    /// </summary>
    private async ValueTask<bool> WaitForRestAsync(TimeSpan stall, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (Volatile.Read(ref _restPending) != 0)
        {
            if (Volatile.Read(ref _aborted) != 0 || Stopwatch.GetElapsedTime(started) > stall)
            {
                return false;
            }

            await Task.Delay(RestPollInterval, cancellationToken).ConfigureAwait(false);
        }

        return true;
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
