using System.Diagnostics;
using System.Net;
using CamStreamd.Interop.Libc;
using CamStreamd.Media;
using CamStreamd.Rtp;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>
/// One RTSP session: a viewer of one stream over one transport, from SETUP to its end. While
/// playing it owns a <see cref="HubSubscription"/> and a viewer lease, and its
/// <see cref="RtspSessionSender"/> is served by the stream's <see cref="RtspFanout"/>; a slow
/// viewer only ever waits in its own drain, and the hub drops frames for it instead.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The send CTS is disposed when sending stops (PauseAsync/EndAsync).")]
internal sealed class RtspSession : IRtcpReceiver
{
    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private readonly RtspSessionRtcp? _rtcp;
    private readonly RtspSessionSender _sender;
    private readonly RtspFanout _fanout;
    private RtpTransport? _transport;
    private HubSubscription? _subscription;
    private ViewerLease? _viewer;
    private CancellationTokenSource? _sendCts;
    private long _lastActivity;
    private long _droppedBefore;
    private bool _ended;

    public RtspSession(StreamHub hub, RtspFanout fanout, ILogger logger, RtspServerOptions options, IPEndPoint remote)
    {
        Hub = hub;
        _fanout = fanout;
        _logger = logger;
        RemoteEndPoint = remote;
        Id = NewId();
        if (hub.Preparer is H264RtpPacketizer packetizer)
        {
            _rtcp = new RtspSessionRtcp(packetizer, hub.Counters, $"{options.ServerName}-{Id}", hub.RequestKeyframe);
        }

        _sender = new RtspSessionSender(hub, _rtcp, options.RtcpInterval, logger, Id);

        Touch();
    }

    /// <summary>The session id: 64 random bits from a CSPRNG in hex (RFC 2326 §3.4 wants it unguessable).</summary>
    public string Id { get; }

    public StreamHub Hub { get; }

    /// <summary>The client's RTSP address.</summary>
    public IPEndPoint RemoteEndPoint { get; }

    public RtspSessionState State { get; private set; } = RtspSessionState.Init;

    public RtpTransport? Transport => _transport;

    /// <summary>The session's RTCP state, or null when the stream has no RTP packetizer.</summary>
    public RtspSessionRtcp? Rtcp => _rtcp;

    /// <summary>The stream's SSRC (the Transport header's ssrc=), known from the packetizer's creation.</summary>
    public uint? Ssrc => _rtcp?.Ssrc;

    /// <summary>True for UDP sessions, which outlive their RTSP connection until the timeout.</summary>
    public bool IsUdp => _transport is UdpUnicastTransport;

    /// <summary>The connection that carries the RTP of a TCP-interleaved session.</summary>
    public RtspConnection? InterleavedConnection => (_transport as TcpInterleavedTransport)?.Connection;

    public long FramesSent => _sender.FramesSent;

    /// <summary>The sending half (the fan-out's view of this viewer).</summary>
    internal RtspSessionSender Sender => _sender;

    /// <summary>Bytes sent on the wire (RTP, interleaved headers over TCP).</summary>
    public long BytesSent => _sender.BytesSent;

    /// <summary>Frames this session lost because its queue overflowed (it then skipped to the next keyframe).</summary>
    public long FramesDropped
    {
        get
        {
            var subscription = Volatile.Read(ref _subscription);
            return Interlocked.Read(ref _droppedBefore) + (subscription?.DroppedFrames ?? 0);
        }
    }

    /// <summary>Monotonic time of the last keepalive, in Stopwatch ticks.</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivity);

    public void Touch() => Interlocked.Exchange(ref _lastActivity, Stopwatch.GetTimestamp());

    /// <summary>RTCP from the client: keep its receiver report (also a keepalive; the transport touched us).</summary>
    public void OnRtcp(ReadOnlySpan<byte> compound) => _rtcp?.OnReceived(compound);

    /// <summary>A snapshot for the API.</summary>
    public RtspSessionInfo Snapshot() => new(
        Id,
        Hub.Name,
        _transport?.Protocol,
        RemoteEndPoint,
        State,
        FramesSent,
        FramesDropped,
        BytesSent,
        _rtcp?.CumulativeLost ?? 0,
        _rtcp?.FractionLost ?? 0,
        _rtcp?.JitterMicroseconds ?? 0);

    /// <summary>Gives the session its transport (SETUP); the old one, if any, is returned for disposal.</summary>
    public RtpTransport? SetTransport(RtpTransport transport)
    {
        lock (_gate)
        {
            var old = _transport;
            _transport = transport;
            State = RtspSessionState.Ready;
            return old;
        }
    }

    /// <summary>
    /// Subscribes to the hub (PLAY) and waits up to <paramref name="wait"/> for the first unit it
    /// will send: the cached GOP's keyframe, or after a PAUSE the first keyframe newer than what
    /// was sent (never older frames again). Returns that unit's RTP seq and timestamp, when known.
    /// </summary>
    public async Task<(ushort Seq, uint RtpTime)?> PrepareToPlayAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (_transport is MulticastTransport multicast)
        {
            // The stream's group sender serves every multicast session; join it instead of subscribing.
            return await multicast.JoinAsync(wait, cancellationToken).ConfigureAwait(false);
        }

        HubSubscription subscription;
        lock (_gate)
        {
            if (_subscription is not null || _ended)
            {
                return PeekStart(_subscription);
            }

            subscription = Hub.Subscribe();
            _subscription = subscription;
            _sender.OnSubscribed();
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        var askedForKeyframe = false;
        try
        {
            while (await subscription.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
            {
                if (_sender.SkipUnsendable(subscription, ref askedForKeyframe))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing yet (a stream that waits for its next keyframe): answer without seq/rtptime.
        }

        return PeekStart(subscription);
    }

    /// <summary>Starts the send loop (called after the PLAY response was written).</summary>
    public void StartSending()
    {
        if (_transport is MulticastTransport multicast)
        {
            lock (_gate)
            {
                if (_ended)
                {
                    return;
                }

                State = RtspSessionState.Playing;
            }

            multicast.Activate();
            _logger.SessionPlaying(Id, Hub.Name);
            return;
        }

        lock (_gate)
        {
            if (_ended || _subscription is null || _transport is null || State == RtspSessionState.Playing)
            {
                return;
            }

            State = RtspSessionState.Playing;
            _viewer = Hub.Counters.AddViewer(_transport.Protocol);
            _sendCts = new CancellationTokenSource();
            _sender.Start(_fanout, _subscription, _transport, _sendCts.Token);
        }

        _logger.SessionPlaying(Id, Hub.Name);
    }

    /// <summary>Stops sending and leaves the hub (PAUSE); a later PLAY resumes at the next newer keyframe.</summary>
    public Task PauseAsync()
    {
        (_transport as MulticastTransport)?.Leave();
        lock (_gate)
        {
            if (State == RtspSessionState.Playing)
            {
                State = RtspSessionState.Ready;
            }
        }

        return StopSendingAsync();
    }

    /// <summary>
    /// Ends the session: stops sending, leaves the hub, sends RTCP BYE (when <paramref name="sayBye"/>
    /// and anything was sent), closes the transport. Idempotent.
    /// </summary>
    public async Task EndAsync(string reason, bool sayBye)
    {
        RtpTransport? transport;
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;
            State = RtspSessionState.Init;
            transport = _transport;
            _transport = null;
        }

        await StopSendingAsync().ConfigureAwait(false);
        if (transport is not null)
        {
            if (sayBye && _sender.ByeReport() is { } report)
            {
                // SR + SDES + BYE (RFC 3550 §6.1: BYE goes last in a compound packet). Bounded by the stall timeout.
                using var bye = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await ((Task)transport.SendRtcpAsync(report, bye.Token).AsTask())
                    .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            await transport.DisposeAsync().ConfigureAwait(false);
        }

        _logger.SessionEnded(Id, reason, FramesSent, FramesDropped);
    }

    private static (ushort, uint)? PeekStart(HubSubscription? subscription) =>
        subscription is not null && subscription.TryPeek(out var first) && first.Rtp.PacketCount > 0
            ? (first.Rtp.FirstSequenceNumber, first.Rtp.RtpTimestamp)
            : null;

    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[8];
        KernelRandom.Fill(bytes);
        return Convert.ToHexString(bytes);
    }

    private async Task StopSendingAsync()
    {
        CancellationTokenSource? cts;
        HubSubscription? subscription;
        ViewerLease? viewer;
        lock (_gate)
        {
            cts = _sendCts;
            _sendCts = null;
            subscription = _subscription;
            viewer = _viewer;
            _viewer = null;
        }

        if (cts is not null)
        {
            await cts.CancelAsync().ConfigureAwait(false);
        }

        if (cts is not null)
        {
            await _sender.StopAsync().ConfigureAwait(false);
        }

        viewer?.Dispose();
        if (subscription is not null)
        {
            lock (_gate)
            {
                Interlocked.Add(ref _droppedBefore, subscription.DroppedFrames);
                _subscription = null;
            }

            subscription.Dispose();
        }

        cts?.Dispose();
    }
}
