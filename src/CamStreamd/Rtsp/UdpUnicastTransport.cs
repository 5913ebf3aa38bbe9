using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using CamStreamd.Media;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Rtsp;

/// <summary>
/// RTP/AVP over UDP unicast: a server RTP/RTCP port pair (even/odd, RFC 3550 §11) bound on the
/// server address the client reached, datagrams sent to the client's pair. Whatever arrives on
/// the server ports (RTCP receiver reports, NAT openers) counts as keepalive; what arrives on the
/// RTCP port is handed to the session as RTCP.
/// </summary>
/// <remarks>
/// The RTP socket is never given an asynchronous receive: that would register it with the
/// runtime's epoll, and then every packet the kernel frees after a send raises a write-space event
/// that wakes the epoll thread (in the 200-viewer UDP benchmark that was half the server's CPU).
/// What clients send to the RTP port is read synchronously, without blocking, every
/// <see cref="RtpDrainInterval"/> from the send path instead.
/// </remarks>
internal sealed class UdpUnicastTransport : RtpTransport
{
    private const int BindAttempts = 32;

    /// <summary>Largest datagram read from the client (RTCP compounds are far smaller; longer ones are cut and fail to parse).</summary>
    private const int MaxDatagram = 2048;

    private readonly Socket _rtp;
    private readonly SafeSocketHandle _rtpHandle;
    private readonly Socket _rtcp;
    private readonly SocketAddress _clientRtp;
    private readonly SocketAddress _clientRtcp;
    private readonly UdpBatchSender _batch;
    private readonly CancellationTokenSource _drainCts = new();
    private readonly Task _drainRtcp;
    private readonly IRtcpReceiver _receiver;
    private readonly byte[] _rtpDrainBuffer = new byte[MaxDatagram];
    private readonly SocketAddress _rtpDrainFrom;
    private long _nextRtpDrain;

    private UdpUnicastTransport(Socket rtp, Socket rtcp, IPEndPoint client, (int Rtp, int Rtcp) clientPorts, IRtcpReceiver receiver)
    {
        _rtp = rtp;
        _rtpHandle = rtp.SafeHandle;
        _rtcp = rtcp;
        _clientRtp = new IPEndPoint(client.Address, clientPorts.Rtp).Serialize();
        _clientRtcp = new IPEndPoint(client.Address, clientPorts.Rtcp).Serialize();
        var batchAddress = rtp.AddressFamily == AddressFamily.InterNetwork && client.Address.IsIPv4MappedToIPv6 ? client.Address.MapToIPv4() : client.Address;
        var viewerRtp = new IPEndPoint(batchAddress, clientPorts.Rtp);
        _batch = new UdpBatchSender(viewerRtp, ConnectRtp(rtp, viewerRtp));
        var serverRtp = ((IPEndPoint)rtp.LocalEndPoint!).Port;
        Reply = new TransportSpec
        {
            LowerTransport = RtspLowerTransport.Udp,
            ClientPort = clientPorts,
            ServerPort = (serverRtp, serverRtp + 1),
        };
        _receiver = receiver;
        _rtpDrainFrom = new SocketAddress(rtp.AddressFamily);
        _drainRtcp = DrainRtcpAsync(_rtcp, receiver, _drainCts.Token);
    }

    /// <summary>How often the send path reads what clients sent to the RTP port (NAT openers: keepalives).</summary>
    public static readonly TimeSpan RtpDrainInterval = TimeSpan.FromMilliseconds(500);

    public override TransportSpec Reply { get; }

    public override string Name => "UDP";

    public override ViewerProtocol Protocol => ViewerProtocol.RtspUdp;

    /// <summary>Binds an even/odd port pair on <paramref name="serverAddress"/>; null when none could be bound.</summary>
    public static UdpUnicastTransport? TryCreate(IPAddress serverAddress, IPEndPoint client, (int Rtp, int Rtcp) clientPorts, IRtcpReceiver receiver)
    {
        for (var attempt = 0; attempt < BindAttempts; attempt++)
        {
            var rtp = new Socket(serverAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            Socket? rtcp = null;
            try
            {
                rtp.Bind(new IPEndPoint(serverAddress, 0));
                var port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
                if (port % 2 == 0 && port < ushort.MaxValue)
                {
                    rtcp = new Socket(serverAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                    rtcp.Bind(new IPEndPoint(serverAddress, port + 1));
                    rtp.SendBufferSize = 1024 * 1024;

                    // Synchronous sends fail with WouldBlock instead of waiting (the fan-out sends its reports).
                    rtcp.Blocking = false;
                    return new UdpUnicastTransport(rtp, rtcp, client, clientPorts, receiver);
                }
            }
            catch (SocketException)
            {
                // The odd neighbour is taken; try another pair.
            }

            rtcp?.Dispose();
            rtp.Dispose();
        }

        return null;
    }

    public override ValueTask<bool> SendAsync(AccessUnit unit, CancellationToken cancellationToken) =>
        TrySendNow(unit, out var progress) == DirectSendResult.Partial ? SendRestAsync(unit, progress, cancellationToken) : ValueTask.FromResult(true);

    /// <summary>One <c>sendmmsg</c> per frame (per 64 packets); a full socket buffer leaves the rest to <see cref="SendRestAsync"/>.</summary>
    public override DirectSendResult TrySendNow(AccessUnit unit, out int progress)
    {
        var block = unit.Rtp;
        DrainRtpWhenDue();
        progress = _batch.Send(_rtpHandle, block);
        return progress < block.PacketCount ? DirectSendResult.Partial : DirectSendResult.Complete;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> SendRestAsync(AccessUnit unit, int progress, CancellationToken cancellationToken)
    {
        var block = unit.Rtp;
        try
        {
            // The socket's asynchronous send waits for room.
            for (var i = progress; i < block.PacketCount; i++)
            {
                await _rtp.SendToAsync(block.GetPacketMemory(i), SocketFlags.None, _clientRtp, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.NoBufferSpaceAvailable)
        {
            // An ICMP port unreachable (the client closed its port) or a full queue: drop this
            // frame; the session ends by timeout if the client is really gone.
        }

        return true;
    }

    /// <summary>One datagram from the RTCP port, or none: a report the socket cannot take now is lost, as on the network.</summary>
    public override DirectSendResult TrySendRtcpNow(Memory<byte> prefixed, out int progress)
    {
        progress = prefixed.Length;
        try
        {
            _rtcp.SendTo(prefixed.Span[WirePacketBlock.InterleavedHeaderLength..], SocketFlags.None, _clientRtcp);
        }
        catch (SocketException)
        {
            // WouldBlock (the socket does not wait: Blocking is off), ConnectionRefused, NoBufferSpace.
        }
        catch (ObjectDisposedException)
        {
            return DirectSendResult.Gone;
        }

        return DirectSendResult.Complete;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> SendRtcpAsync(Memory<byte> prefixed, CancellationToken cancellationToken)
    {
        try
        {
            // From the server's RTCP port (RTP port + 1) to the client's RTCP port (RFC 3550 §11).
            await _rtcp.SendToAsync(prefixed[WirePacketBlock.InterleavedHeaderLength..], SocketFlags.None, _clientRtcp, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.NoBufferSpaceAvailable)
        {
            // As for RTP: the report is lost, the session lives on until its timeout.
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        return true;
    }

    public override async ValueTask DisposeAsync()
    {
        await _drainCts.CancelAsync().ConfigureAwait(false);
        _rtp.Dispose();
        _rtcp.Dispose();
        _batch.Dispose();
        await _drainRtcp.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _drainCts.Dispose();
    }

    /// <summary>
    /// Connects the RTP socket to the viewer: the kernel then keeps the route, where a datagram that
    /// names its address costs a route lookup each (14 per frame per viewer at 4 Mbit/s). What the
    /// socket reads is then only the viewer's own (its NAT openers). False when the connect failed:
    /// the batches name the address instead, as before.
    /// </summary>
    private static bool ConnectRtp(Socket rtp, IPEndPoint viewer)
    {
        try
        {
            rtp.Connect(viewer);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Reads what is waiting on the RTP port (a keepalive each), without blocking, at most every <see cref="RtpDrainInterval"/>.</summary>
    private void DrainRtpWhenDue()
    {
        var now = Stopwatch.GetTimestamp();
        if (now < _nextRtpDrain)
        {
            return;
        }

        _nextRtpDrain = now + (long)(RtpDrainInterval.TotalSeconds * Stopwatch.Frequency);
        try
        {
            // Available (FIONREAD) first, so the synchronous read never blocks; bounded per call.
            for (var i = 0; i < 64 && _rtp.Available > 0; i++)
            {
                _rtp.ReceiveFrom(_rtpDrainBuffer, SocketFlags.None, _rtpDrainFrom);
                _receiver.Touch();
            }
        }
        catch (SocketException)
        {
            // An ICMP error from an earlier send surfaces on the read: nothing to drain.
        }
        catch (ObjectDisposedException)
        {
            // Ending.
        }
    }

    private static async Task DrainRtcpAsync(Socket socket, IRtcpReceiver receiver, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxDatagram];
        var from = new SocketAddress(socket.AddressFamily);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, from, cancellationToken).ConfigureAwait(false);
                receiver.Touch();
                receiver.OnRtcp(buffer.AsSpan(0, received));
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset || ex.SocketErrorCode == SocketError.ConnectionRefused)
            {
                // ICMP errors from earlier sends surface here on Linux; keep draining.
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }
}
