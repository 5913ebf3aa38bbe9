using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CamStreamd.Interop.Libc;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>
/// The server's one RTP/RTCP port pair (even/odd, RFC 3550 §11) on one local address, shared by
/// every UDP unicast session that reached the server there, as gst-rtsp-server and MediaMTX share
/// theirs. One socket for all viewers is what lets a frame go to all of them in a few
/// <c>sendmmsg</c> calls (<see cref="UdpFanoutBatch"/>) instead of one call per viewer. What
/// arrives is handed to the session registered for its source address and port (the client's
/// RTCP port for RTCP, its RTP port for NAT openers); datagrams from anyone else are read and dropped.
/// </summary>
/// <remarks>
/// The RTP socket is never given an asynchronous operation: that would register it with the
/// runtime's epoll, and then every packet the kernel frees after a send raises a write-space event
/// that wakes the epoll thread (in the 200-viewer UDP benchmark that was half the server's CPU).
/// What clients send to the RTP port is read synchronously, without blocking, every
/// <see cref="RtpDrainInterval"/> from the send path instead.
/// </remarks>
internal sealed class UdpServerPorts : ISharedDatagramPort, IAsyncDisposable
{
    /// <summary>How often the send path reads what clients sent to the RTP port (NAT openers: keepalives).</summary>
    public static readonly TimeSpan RtpDrainInterval = TimeSpan.FromMilliseconds(500);

    private const int BindAttempts = 32;

    /// <summary>Largest datagram read from a client (RTCP compounds are far smaller; longer ones are cut and fail to parse).</summary>
    private const int MaxDatagram = 2048;

    /// <summary>Send buffer asked for: a frame to every viewer goes in one pass (the kernel caps it at twice net.core.wmem_max).</summary>
    private const int SendBufferBytes = 4 * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<SocketAddress, UdpUnicastTransport> _byRtcpSource = [];
    private readonly Dictionary<SocketAddress, UdpUnicastTransport> _byRtpSource = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _rtcpLoop;
    private readonly Lock _rtpDrainGate = new();
    private readonly byte[] _rtpDrainBuffer = new byte[MaxDatagram];
    private readonly SocketAddress _rtpDrainFrom;
    private long _nextRtpDrain;
    private readonly ILogger _logger;
    private bool _segment = SegmentedDatagrams.Enabled;
    private int _segmentationRefusedSaid;

    private UdpServerPorts(Socket rtp, Socket rtcp, ILogger logger)
    {
        _logger = logger;
        Rtp = rtp;
        RtpHandle = rtp.SafeHandle;
        Rtcp = rtcp;
        RtpPort = ((IPEndPoint)rtp.LocalEndPoint!).Port;
        _rtpDrainFrom = new SocketAddress(rtp.AddressFamily);
        _rtcpLoop = ReadRtcpAsync(_stopping.Token);
        BatchPort = this;
    }

    /// <summary>The RTP socket, unconnected: every datagram names its viewer.</summary>
    public Socket Rtp { get; }

    /// <summary>The RTP socket's handle, read once (<see cref="Socket.SafeHandle"/> marks the socket on every read).</summary>
    public SafeSocketHandle RtpHandle { get; }

    /// <summary>
    /// What the fan-out's batches send through: this port, or in tests a wrapper that refuses
    /// messages as a kernel would (loopback never fills a UDP send buffer, so EAGAIN cannot be had
    /// for real there).
    /// </summary>
    internal ISharedDatagramPort BatchPort { get; set; }

    /// <inheritdoc />
    public bool SegmentsDatagrams => Volatile.Read(ref _segment);

    /// <summary>The RTCP socket (RTP port + 1); its sends never wait.</summary>
    public Socket Rtcp { get; }

    /// <summary>The even port; RTCP is on the next one.</summary>
    public int RtpPort { get; }

    /// <summary>Binds an even/odd pair on <paramref name="address"/>; null when none could be bound. <paramref name="logger"/> hears what the pair decides on its own (segmentation refused).</summary>
    public static UdpServerPorts? TryBind(IPAddress address, ILogger logger)
    {
        for (var attempt = 0; attempt < BindAttempts; attempt++)
        {
            var rtp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            Socket? rtcp = null;
            try
            {
                rtp.Bind(new IPEndPoint(address, 0));
                var port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
                if (port % 2 == 0 && port < ushort.MaxValue)
                {
                    rtcp = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
                    rtcp.Bind(new IPEndPoint(address, port + 1));
                    rtp.SendBufferSize = SendBufferBytes;

                    // Synchronous calls fail with WouldBlock instead of waiting: the send path never waits.
                    rtp.Blocking = false;
                    rtcp.Blocking = false;
                    return new UdpServerPorts(rtp, rtcp, logger);
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

    /// <summary>
    /// Routes what arrives from <paramref name="clientRtp"/> (a keepalive) and <paramref name="clientRtcp"/>
    /// (RTCP) to <paramref name="transport"/>'s session. A later transport on the same client ports
    /// (a second SETUP) takes them over.
    /// </summary>
    public void Register(SocketAddress clientRtp, SocketAddress clientRtcp, UdpUnicastTransport transport)
    {
        lock (_gate)
        {
            _byRtpSource[clientRtp] = transport;
            _byRtcpSource[clientRtcp] = transport;
        }
    }

    /// <summary>Stops routing to <paramref name="transport"/> (a later transport on the same ports keeps its routes).</summary>
    public void Unregister(SocketAddress clientRtp, SocketAddress clientRtcp, UdpUnicastTransport transport)
    {
        lock (_gate)
        {
            if (_byRtpSource.TryGetValue(clientRtp, out var rtpOwner) && ReferenceEquals(rtpOwner, transport))
            {
                _byRtpSource.Remove(clientRtp);
            }

            if (_byRtcpSource.TryGetValue(clientRtcp, out var rtcpOwner) && ReferenceEquals(rtcpOwner, transport))
            {
                _byRtcpSource.Remove(clientRtcp);
            }
        }
    }

    /// <inheritdoc />
    public unsafe int SendMessages(MMsgHdr* messages, int count, out int errno) =>
        DatagramBatch.SendAll(RtpHandle, messages, count, out errno);

    /// <inheritdoc />
    public void OnSegmentationRefused(int errno)
    {
        // Every batch on the pair stops asking; the log says it once.
        if (Interlocked.Exchange(ref _segmentationRefusedSaid, 1) == 0)
        {
            _logger.UdpSegmentationRefused(RtpPort, Errno.Name(errno));
        }

        Volatile.Write(ref _segment, false);
    }

    /// <summary>Reads what is waiting on the RTP port (a keepalive each), without blocking, at most every <see cref="RtpDrainInterval"/>.</summary>
    public void DrainRtpWhenDue(long now)
    {
        if (now < Volatile.Read(ref _nextRtpDrain) || !_rtpDrainGate.TryEnter())
        {
            return;
        }

        try
        {
            Volatile.Write(ref _nextRtpDrain, now + (long)(RtpDrainInterval.TotalSeconds * Stopwatch.Frequency));

            // Available (FIONREAD) first, so the read never waits; bounded per call.
            for (var i = 0; i < 256 && Rtp.Available > 0; i++)
            {
                Rtp.ReceiveFrom(_rtpDrainBuffer, SocketFlags.None, _rtpDrainFrom);
                Find(_byRtpSource, _rtpDrainFrom)?.Receiver.Touch();
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
        finally
        {
            _rtpDrainGate.Exit();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        Rtp.Dispose();
        Rtcp.Dispose();
        await _rtcpLoop.WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private UdpUnicastTransport? Find(Dictionary<SocketAddress, UdpUnicastTransport> routes, SocketAddress from)
    {
        lock (_gate)
        {
            return routes.GetValueOrDefault(from);
        }
    }

    private async Task ReadRtcpAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxDatagram];
        var from = new SocketAddress(Rtcp.AddressFamily);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var received = await Rtcp.ReceiveFromAsync(buffer, SocketFlags.None, from, cancellationToken).ConfigureAwait(false);
                if (Find(_byRtcpSource, from)?.Receiver is { } receiver)
                {
                    receiver.Touch();
                    receiver.OnRtcp(buffer.AsSpan(0, received));
                }
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionRefused)
            {
                // ICMP errors from earlier sends surface here on Linux; keep reading.
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
        }
    }
}
