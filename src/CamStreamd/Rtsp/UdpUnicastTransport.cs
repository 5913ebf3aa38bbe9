using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using CamStreamd.Interop.Libc;
using CamStreamd.Media;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Rtsp;

/// <summary>
/// RTP/AVP over UDP unicast: datagrams to the client's RTP/RTCP port pair from the server's shared
/// pair on the address the client reached (<see cref="UdpServerPorts"/>, even/odd, RFC 3550 §11).
/// What the client sends to the server's ports (RTCP receiver reports, NAT openers) counts as
/// keepalive; RTCP is handed to the session. The fan-out stages this viewer's frames in its
/// <see cref="UdpFanoutBatch"/> (<see cref="Ports"/>, <see cref="Sockaddr"/>); the transport's
/// own sends serve a frame the batch could not take and the rest of one a full buffer cut short.
/// </summary>
internal sealed class UdpUnicastTransport : RtpTransport
{
    /// <summary>How long the rest of a frame waits for room in a full send buffer before it is dropped, as the network would.</summary>
    private static readonly TimeSpan RestLimit = TimeSpan.FromSeconds(1);

    /// <summary>Between looks for room in a full send buffer (the shared socket is never given to epoll: see <see cref="UdpServerPorts"/>).</summary>
    private static readonly TimeSpan RoomPoll = TimeSpan.FromMilliseconds(2);

    private readonly UdpServerPorts _ports;
    private readonly SocketAddress _clientRtp;
    private readonly SocketAddress _clientRtcp;
    private readonly byte[] _sockaddr;
    private readonly IPEndPoint _viewerRtp;
    private UdpBatchSender? _batch;

    private UdpUnicastTransport(UdpServerPorts ports, IPEndPoint client, (int Rtp, int Rtcp) clientPorts, IRtcpReceiver receiver)
    {
        _ports = ports;
        // An IPv4 socket names an IPv4 client as IPv4, not as an IPv4-mapped IPv6 address.
        var address = ports.Rtp.AddressFamily == AddressFamily.InterNetwork && client.Address.IsIPv4MappedToIPv6 ? client.Address.MapToIPv4() : client.Address;
        var viewerRtp = new IPEndPoint(address, clientPorts.Rtp);
        _clientRtp = viewerRtp.Serialize();
        _clientRtcp = new IPEndPoint(address, clientPorts.Rtcp).Serialize();
        var sockaddr = new byte[32];
        _sockaddr = sockaddr[..(int)UdpBatchSender.WriteSockaddr(viewerRtp, sockaddr)];
        _viewerRtp = viewerRtp;
        Reply = new TransportSpec
        {
            LowerTransport = RtspLowerTransport.Udp,
            ClientPort = clientPorts,
            ServerPort = (ports.RtpPort, ports.RtpPort + 1),
        };
        Receiver = receiver;
        ports.Register(_clientRtp, _clientRtcp, this);
    }

    public override TransportSpec Reply { get; }

    public override string Name => "UDP";

    public override ViewerProtocol Protocol => ViewerProtocol.RtspUdp;

    /// <summary>The session, told what the client sends to the shared ports.</summary>
    public IRtcpReceiver Receiver { get; }

    /// <summary>The shared port pair the viewer's datagrams leave from.</summary>
    public UdpServerPorts Ports => _ports;

    /// <summary>The viewer's RTP address as a Linux <c>sockaddr</c>.</summary>
    public ReadOnlySpan<byte> Sockaddr => _sockaddr;

    /// <summary>A transport to <paramref name="client"/>'s ports from <paramref name="ports"/>; null when the server has no port pair there.</summary>
    public static UdpUnicastTransport? TryCreate(UdpServerPorts? ports, IPEndPoint client, (int Rtp, int Rtcp) clientPorts, IRtcpReceiver receiver) =>
        ports is null ? null : new UdpUnicastTransport(ports, client, clientPorts, receiver);

    public override ValueTask<bool> SendAsync(AccessUnit unit, CancellationToken cancellationToken) =>
        TrySendNow(unit, out var progress) == DirectSendResult.Partial ? SendRestAsync(unit, progress, cancellationToken) : ValueTask.FromResult(true);

    /// <summary>One <c>sendmmsg</c> per frame (per 64 packets); a full socket buffer leaves the rest to <see cref="SendRestAsync"/>.</summary>
    public override DirectSendResult TrySendNow(AccessUnit unit, out int progress)
    {
        progress = TrySendFrom(unit, 0, out _);
        return progress < unit.Rtp.PacketCount ? DirectSendResult.Partial : DirectSendResult.Complete;
    }

    /// <summary>
    /// Sends <paramref name="unit"/>'s packets from <paramref name="first"/> on without waiting;
    /// returns the first not sent (all of them when the kernel dropped the frame), and
    /// <paramref name="wouldBlock"/> when a full buffer stopped it.
    /// </summary>
    public int TrySendFrom(AccessUnit unit, int first, out bool wouldBlock)
    {
        var block = unit.Rtp;
        _ports.DrainRtpWhenDue(Stopwatch.GetTimestamp());
        // Made at the viewer's first own send (a drain, a frame too large for the fan-out's batch):
        // most viewers only ever go in the fan-out's batches. One sender at a time (the pass, or the drain).
        _batch ??= new UdpBatchSender(_viewerRtp);
        var sent = _batch.Send(_ports.RtpHandle, block, first, out var errno);
        wouldBlock = sent < block.PacketCount && errno is Errno.EAGAIN or 0;
        // Any other refusal drops the rest of the frame, as a lost datagram would.
        return wouldBlock ? sent : block.PacketCount;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<bool> SendRestAsync(AccessUnit unit, int progress, CancellationToken cancellationToken)
    {
        var count = unit.Rtp.PacketCount;
        var since = Stopwatch.GetTimestamp();
        while (progress < count && Stopwatch.GetElapsedTime(since) < RestLimit)
        {
            await Task.Delay(RoomPoll, cancellationToken).ConfigureAwait(false);
            progress = TrySendFrom(unit, progress, out _);
        }

        // What still did not go after RestLimit is lost, as on a congested network; the session goes on.
        return true;
    }

    /// <summary>One datagram from the RTCP port, or none: a report the socket cannot take now is lost, as on the network.</summary>
    public override DirectSendResult TrySendRtcpNow(Memory<byte> prefixed, out int progress)
    {
        progress = prefixed.Length;
        try
        {
            // From the server's RTCP port (RTP port + 1) to the client's RTCP port (RFC 3550 §11).
            _ports.Rtcp.SendTo(prefixed.Span[WirePacketBlock.InterleavedHeaderLength..], SocketFlags.None, _clientRtcp);
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

    public override ValueTask<bool> SendRtcpAsync(Memory<byte> prefixed, CancellationToken cancellationToken) =>
        ValueTask.FromResult(TrySendRtcpNow(prefixed, out _) != DirectSendResult.Gone);

    public override ValueTask DisposeAsync()
    {
        _ports.Unregister(_clientRtp, _clientRtcp, this);
        _batch?.Dispose();
        return ValueTask.CompletedTask;
    }
}
