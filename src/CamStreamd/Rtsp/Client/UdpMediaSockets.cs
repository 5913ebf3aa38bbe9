using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CamStreamd.Rtp;

namespace CamStreamd.Rtsp.Client;

/// <summary>
/// The client's RTP/RTCP socket pair for UDP pulls: an even RTP port and the next odd port for
/// RTCP (RFC 3550 §11), receive loops that take datagrams only from the server's address, and
/// the path our receiver reports go back on.
/// </summary>
public sealed class UdpMediaSockets : IDisposable
{
    private const int MaxBindAttempts = 32;
    private const int MaxDatagram = 65536;

    private readonly Socket _rtp;
    private readonly Socket _rtcp;
    private readonly TimeProvider _time;
    private long _lastPacket;

    private UdpMediaSockets(Socket rtp, Socket rtcp, TimeProvider time)
    {
        _rtp = rtp;
        _rtcp = rtcp;
        _time = time;
        RtpPort = ((IPEndPoint)rtp.LocalEndPoint!).Port;
        RtcpPort = ((IPEndPoint)rtcp.LocalEndPoint!).Port;
    }

    /// <summary>Our RTP port (even).</summary>
    public int RtpPort { get; }

    /// <summary>Our RTCP port (RTP + 1).</summary>
    public int RtcpPort { get; }

    /// <summary>When the last RTP datagram came (ticks of the sockets' <see cref="TimeProvider"/>), 0 before the first.</summary>
    public long LastPacketTimestamp => Interlocked.Read(ref _lastPacket);

    /// <summary>Datagrams from other addresses, ignored.</summary>
    public long ForeignDatagrams { get; private set; }

    /// <summary>Binds an even/odd pair of free ports for <paramref name="family"/>; arrivals are stamped by <paramref name="time"/> (<see cref="TimeProvider.System"/> when null).</summary>
    public static UdpMediaSockets Open(AddressFamily family, TimeProvider? time = null)
    {
        if (!RtpPortPair.TryBind(family, MaxBindAttempts, out var rtp, out var rtcp))
        {
            throw new RtspClientException($"no free even/odd UDP port pair for RTP/RTCP after {MaxBindAttempts} attempts");
        }

        // Room for a burst of a large keyframe while the loop is busy.
        rtp.ReceiveBufferSize = 2 * 1024 * 1024;
        return new UdpMediaSockets(rtp, rtcp, time ?? TimeProvider.System);
    }

    /// <summary>
    /// Receives RTP and RTCP from <paramref name="server"/> into <paramref name="receiver"/> until
    /// cancelled or a socket fails; <paramref name="afterRtp"/> runs after each RTP packet taken.
    /// </summary>
    /// <remarks>
    /// RTP is received on a thread of its own with blocking receives: ~370 datagrams a second at
    /// 4 Mbit/s, and an asynchronous receive costs each one a hop from the socket engine's thread
    /// to the thread pool (the idle bench: a relay over UDP 0.020 CPU-s/s against 0.012 over TCP,
    /// whose reads take many packets at once). Cancellation disposes the socket, which ends the receive.
    /// RTCP (one sender report every few seconds) stays asynchronous.
    /// </remarks>
    public Task RunAsync(IPAddress server, H264RtpReceiver receiver, Action? afterRtp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(receiver);
        var rtpDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() => ReceiveRtp(server, receiver, afterRtp, rtpDone, cancellationToken))
        {
            IsBackground = true,
            Name = "rtp-pull-receive",
        };
        thread.Start();
        var rtcp = Task.Run(() => ReceiveRtcpAsync(server, receiver, cancellationToken), CancellationToken.None);
        return Task.WhenAll(rtpDone.Task, rtcp);
    }

    /// <summary>Sends an RTCP packet from our RTCP port to <paramref name="serverRtcp"/>.</summary>
    public ValueTask<int> SendRtcpAsync(ReadOnlyMemory<byte> packet, IPEndPoint serverRtcp, CancellationToken cancellationToken) =>
        _rtcp.SendToAsync(packet, SocketFlags.None, serverRtcp, cancellationToken);

    /// <inheritdoc/>
    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }

    private void ReceiveRtp(IPAddress server, H264RtpReceiver receiver, Action? afterRtp, TaskCompletionSource done, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxDatagram];
        var from = new SocketAddress(_rtp.AddressFamily);
        var expected = AddressBytes(server);
        try
        {
            using var stop = cancellationToken.Register(static socket => ((Socket)socket!).Dispose(), _rtp);
            while (!cancellationToken.IsCancellationRequested)
            {
                var length = _rtp.ReceiveFrom(buffer, SocketFlags.None, from);
                if (!FromServer(from, expected))
                {
                    ForeignDatagrams++;
                    continue;
                }

                var now = _time.GetTimestamp();
                Interlocked.Exchange(ref _lastPacket, now);
                receiver.OnRtp(buffer.AsSpan(0, length), now);
                afterRtp?.Invoke();
            }

            done.TrySetResult();
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is SocketException or ObjectDisposedException)
        {
            // Disposed while stopping.
            done.TrySetResult();
        }
        catch (Exception e)
        {
            done.TrySetException(e);
        }
    }

    private async Task ReceiveRtcpAsync(IPAddress server, H264RtpReceiver receiver, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxDatagram];
        var from = new SocketAddress(_rtcp.AddressFamily);
        var expected = AddressBytes(server);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var length = await _rtcp.ReceiveFromAsync(buffer, SocketFlags.None, from, cancellationToken).ConfigureAwait(false);
                if (FromServer(from, expected))
                {
                    receiver.OnRtcp(buffer.AsSpan(0, length), _time.GetTimestamp());
                }
                else
                {
                    ForeignDatagrams++;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (ObjectDisposedException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed while stopping.
        }
    }

    private static byte[] AddressBytes(IPAddress server)
    {
        Span<byte> bytes = stackalloc byte[16];
        return server.TryWriteBytes(bytes, out var written) ? bytes[..written].ToArray() : [];
    }

    /// <summary>Compares the sender's address bytes in a raw sockaddr (sockaddr_in: at 4; sockaddr_in6: at 8) with the server's.</summary>
    private static bool FromServer(SocketAddress from, byte[] expected)
    {
        var raw = from.Buffer.Span;
        var offset = from.Family == AddressFamily.InterNetworkV6 ? 8 : 4;
        return expected.Length > 0 && raw.Length >= offset + expected.Length && raw.Slice(offset, expected.Length).SequenceEqual(expected);
    }
}
