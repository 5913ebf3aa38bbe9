using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CamStreamd.Media;
using CamStreamd.Rtp;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>
/// Sends one stream to its multicast group once, however many sessions watch it: one
/// <see cref="HubSubscription"/> and one UDP socket (TTL set, loopback on so viewers on the same
/// host receive too), started when the first session joins and stopped when the last one leaves.
/// Sessions join in PLAY (<see cref="JoinAsync"/>), the send loop starts once a PLAY response is
/// on the wire (<see cref="Activate"/>), and a later joiner starts at the current position.
/// While sending, the loop also sends an RTCP sender report (SR + SDES CNAME, built by
/// <see cref="RtspSessionRtcp"/> into one reused buffer) to <see cref="RtcpEndPoint"/> after the
/// first frame and then every RTCP interval, and SR + SDES + BYE when the sender stops
/// (RFC 3550 §6.1, §6.6), so multicast receivers get NTP↔RTP time and counts like unicast ones.
/// </summary>
internal sealed class MulticastSender
{
    private const int SocketSendBuffer = 1024 * 1024;
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(2);

    private readonly StreamHub _hub;
    private readonly int _ttl;
    private readonly ILogger _logger;
    private readonly SocketAddress _groupAddress;
    private readonly SocketAddress _rtcpAddress;
    private readonly TimeSpan _rtcpInterval;
    private readonly string _cname;
    private readonly Lock _gate = new();
    private int _viewers;
    private Run? _run;
    private int _nextSequence = -1;
    private long _lastRtpTime;
    private long _ssrc = -1;
    private long _packetsSent;
    private long _octetsSent;

    public MulticastSender(StreamHub hub, IPEndPoint group, int ttl, ILogger logger, TimeSpan rtcpInterval, string cname)
    {
        _hub = hub;
        Group = group;
        _ttl = ttl;
        _logger = logger;
        _rtcpInterval = rtcpInterval;
        _cname = cname;
        _groupAddress = group.Serialize();
        _rtcpAddress = RtcpEndPoint.Serialize();
    }

    /// <summary>The group address and RTP port.</summary>
    public IPEndPoint Group { get; }

    /// <summary>Where RTCP for the group goes (RTP port + 1, RFC 3550 §11).</summary>
    public IPEndPoint RtcpEndPoint => new(Group.Address, Group.Port + 1);

    /// <summary>The multicast TTL.</summary>
    public int Ttl => _ttl;

    /// <summary>The stream's SSRC once a unit was seen, else null.</summary>
    public uint? Ssrc => Interlocked.Read(ref _ssrc) is var s and >= 0 ? (uint)s : null;

    /// <summary>Sessions currently joined.</summary>
    public int Viewers => Volatile.Read(ref _viewers);

    /// <summary>True while the send loop runs.</summary>
    public bool IsSending
    {
        get
        {
            lock (_gate)
            {
                return _run?.Loop is not null;
            }
        }
    }

    /// <summary>RTP packets sent to the group since the daemon started (for RTCP sender reports).</summary>
    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    /// <summary>RTP payload octets sent to the group since the daemon started (the SR octet count, RFC 3550 §6.4.1: headers excluded).</summary>
    public long OctetsSent => Interlocked.Read(ref _octetsSent);

    /// <summary>
    /// Adds a viewer (the first subscribes to the hub and opens the socket). Returns the RTP
    /// sequence number and timestamp the viewer starts at, for RTP-Info, when known.
    /// </summary>
    public async Task<(ushort Seq, uint RtpTime)?> JoinAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        Run run;
        int viewers;
        bool started = false;
        lock (_gate)
        {
            if (_run is null)
            {
                // One report builder per run (not per packet); none when the stream is not packetized for RTP.
                var rtcp = _hub.Preparer is H264RtpPacketizer packetizer ? new RtspSessionRtcp(packetizer, _hub.Counters, _cname) : null;
                _run = new Run(_hub.Subscribe(), OpenSocket(), rtcp);
                started = true;
            }

            run = _run;
            viewers = ++_viewers;
        }

        if (started)
        {
            _logger.SenderStarted(_hub.Name, Group, _ttl);
        }

        _logger.ViewerJoined(Group, _hub.Name, viewers);
        if (!started && run.Loop is not null)
        {
            // Mid-stream: this viewer needs a keyframe to start decoding, and starts at the current position.
            _hub.RequestKeyframe();
            var next = Volatile.Read(ref _nextSequence);
            return next >= 0 ? ((ushort)next, (uint)Interlocked.Read(ref _lastRtpTime)) : null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            await run.Subscription.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing yet (waiting for a keyframe): RTP-Info without seq/rtptime.
        }

        return run.Subscription.TryPeek(out var first) && first.Rtp.PacketCount > 0
            ? (first.Rtp.FirstSequenceNumber, first.Rtp.RtpTimestamp)
            : null;
    }

    /// <summary>Starts the send loop if it is not running (after a PLAY response was written).</summary>
    public void Activate()
    {
        lock (_gate)
        {
            if (_run is { Loop: null } run)
            {
                run.Loop = SendLoopAsync(run);
            }
        }
    }

    /// <summary>Removes a viewer; the last one stops the loop, leaves the hub and closes the socket.</summary>
    public void Leave()
    {
        Run? stopping = null;
        int viewers;
        lock (_gate)
        {
            if (_viewers == 0)
            {
                return;
            }

            viewers = --_viewers;
            if (viewers == 0)
            {
                stopping = _run;
                _run = null;
            }
        }

        _logger.ViewerLeft(Group, _hub.Name, viewers);
        if (stopping is not null)
        {
            _ = StopAsync(stopping);
        }
    }

    private async Task StopAsync(Run run)
    {
        await run.Cancellation.CancelAsync().ConfigureAwait(false);
        await (run.Loop ?? Task.CompletedTask).WaitAsync(StopWait).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (run.Loop is { IsCompleted: true } && run.FramesSent > 0)
        {
            // The loop is done with the report buffer: say BYE to the group (§6.6; SR + SDES + BYE, BYE last).
            SendReport(run, bye: true);
        }

        var dropped = run.Subscription.DroppedFrames;
        run.Subscription.Dispose();
        run.Socket.Dispose();
        run.Cancellation.Dispose();
        _logger.SenderStopped(_hub.Name, Group, run.FramesSent, dropped);
    }

    private Socket OpenSocket()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, _ttl);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            socket.SendBufferSize = SocketSendBuffer;
            socket.Bind(new IPEndPoint(IPAddress.Any, 0));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private async Task SendLoopAsync(Run run)
    {
        // Run off the request handler's stack.
        await Task.Yield();
        var cancellationToken = run.Cancellation.Token;
        try
        {
            while (await run.Subscription.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (run.Subscription.TryRead(out var unit))
                {
                    try
                    {
                        await SendUnitAsync(run.Socket, unit, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        unit.Release();
                    }

                    run.FramesSent++;
                    if (run.Rtcp is not null && (run.LastReport == 0 || Stopwatch.GetElapsedTime(run.LastReport) >= _rtcpInterval))
                    {
                        // An SR after the first frame (receivers can sync early), then every interval.
                        run.LastReport = Stopwatch.GetTimestamp();
                        SendReport(run, bye: false);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Stopped.
        }
    }

    private async ValueTask SendUnitAsync(Socket socket, AccessUnit unit, CancellationToken cancellationToken)
    {
        var block = unit.Rtp;
        if (block.PacketCount == 0)
        {
            return;
        }

        long bytes = 0;
        var packets = 0;
        try
        {
            for (var i = 0; i < block.PacketCount; i++)
            {
                var packet = block.GetPacketMemory(i);
                await socket.SendToAsync(packet, SocketFlags.None, _groupAddress, cancellationToken).ConfigureAwait(false);
                bytes += packet.Length;
                packets++;
            }
        }
        catch (SocketException ex)
        {
            // No route (an interface went down) or a full queue: drop this frame, keep the group.
            _logger.SendFailed(Group, ex);
        }

        Interlocked.Exchange(ref _ssrc, block.Ssrc);
        Volatile.Write(ref _nextSequence, (ushort)(block.FirstSequenceNumber + block.PacketCount));
        Interlocked.Exchange(ref _lastRtpTime, block.RtpTimestamp);
        Interlocked.Add(ref _packetsSent, packets);
        // Payload only: the fixed RTP header (no CSRC, no extension) is not counted in an SR.
        Interlocked.Add(ref _octetsSent, bytes - ((long)packets * RtpHeader.FixedLength));
        _hub.Counters.AddSent(bytes);
    }

    /// <summary>Sends SR + SDES (+ BYE) to the group's RTCP port; a UDP send of ~60 bytes, so synchronous.</summary>
    private void SendReport(Run run, bool bye)
    {
        if (run.Rtcp is null)
        {
            return;
        }

        // The builder writes a 4-byte interleaved header first (for TCP); UDP sends what follows it.
        var report = run.Rtcp.BuildReport(PacketsSent, OctetsSent, bye);
        try
        {
            run.Socket.SendTo(report.Span[WirePacketBlock.InterleavedHeaderLength..], SocketFlags.None, _rtcpAddress);
        }
        catch (SocketException ex)
        {
            _logger.SendFailed(RtcpEndPoint, ex);
        }
    }

    /// <summary>One start-to-stop period of sending.</summary>
    private sealed class Run(HubSubscription subscription, Socket socket, RtspSessionRtcp? rtcp)
    {
        public HubSubscription Subscription { get; } = subscription;

        public Socket Socket { get; } = socket;

        public CancellationTokenSource Cancellation { get; } = new();

        public Task? Loop { get; set; }

        public long FramesSent { get; set; }

        /// <summary>SR/SDES/BYE builder of this run, or null when the stream has no RTP packetizer.</summary>
        public RtspSessionRtcp? Rtcp { get; } = rtcp;

        /// <summary>Stopwatch time of the last sender report, 0 before the first.</summary>
        public long LastReport { get; set; }
    }
}
