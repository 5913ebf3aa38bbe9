using System.Diagnostics;
using System.Security.Cryptography;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>
/// One RTSP session: a viewer of one stream over one transport. While playing it owns a
/// <see cref="HubSubscription"/> and a send loop task (wait → read → send every packet → release),
/// so a slow viewer only ever stalls its own loop; the hub drops frames for it instead.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The send loop's CTS is disposed when sending stops (PauseAsync/EndAsync).")]
internal sealed class RtspSession
{
    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private RtpTransport? _transport;
    private HubSubscription? _subscription;
    private CancellationTokenSource? _sendCts;
    private Task _sendLoop = Task.CompletedTask;
    private long _lastActivity;
    private long _framesSent;
    private long _framesDropped;
    private bool _ended;

    public RtspSession(StreamHub hub, ILogger logger)
    {
        Hub = hub;
        _logger = logger;
        Id = NewId();
        Touch();
    }

    /// <summary>The session id: 64 random bits from a CSPRNG in hex (RFC 2326 §3.4 wants it unguessable).</summary>
    public string Id { get; }

    public StreamHub Hub { get; }

    public RtspSessionState State { get; private set; } = RtspSessionState.Init;

    public RtpTransport? Transport => _transport;

    /// <summary>True for UDP sessions, which outlive their RTSP connection until the timeout.</summary>
    public bool IsUdp => _transport is UdpUnicastTransport;

    /// <summary>The connection that carries the RTP of a TCP-interleaved session.</summary>
    public RtspConnection? InterleavedConnection => (_transport as TcpInterleavedTransport)?.Connection;

    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Monotonic time of the last keepalive, in Stopwatch ticks.</summary>
    public long LastActivity => Interlocked.Read(ref _lastActivity);

    public void Touch() => Interlocked.Exchange(ref _lastActivity, Stopwatch.GetTimestamp());

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
    /// Subscribes to the hub (PLAY) and waits up to <paramref name="wait"/> for the first unit.
    /// Returns the RTP sequence number and timestamp the viewer starts at, when known.
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
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(wait);
        try
        {
            await subscription.WaitToReadAsync(timeout.Token).ConfigureAwait(false);
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
            _sendCts = new CancellationTokenSource();
            _sendLoop = SendLoopAsync(_subscription, _transport, _sendCts.Token);
        }

        _logger.SessionPlaying(Id, Hub.Name);
    }

    /// <summary>Stops sending and leaves the hub (PAUSE); a later PLAY subscribes again from the cached keyframe.</summary>
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

    /// <summary>Ends the session: stops sending, leaves the hub, closes the transport. Idempotent.</summary>
    public async Task EndAsync(string reason)
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
            await transport.DisposeAsync().ConfigureAwait(false);
        }

        _logger.SessionEnded(Id, reason, FramesSent, Interlocked.Read(ref _framesDropped));
    }

    private static (ushort, uint)? PeekStart(HubSubscription? subscription) =>
        subscription is not null && subscription.TryPeek(out var first) && first.Rtp.PacketCount > 0
            ? (first.Rtp.FirstSequenceNumber, first.Rtp.RtpTimestamp)
            : null;

    private static string NewId()
    {
        Span<byte> bytes = stackalloc byte[8];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToHexString(bytes);
    }

    private async Task StopSendingAsync()
    {
        CancellationTokenSource? cts;
        Task loop;
        HubSubscription? subscription;
        lock (_gate)
        {
            cts = _sendCts;
            _sendCts = null;
            loop = _sendLoop;
            subscription = _subscription;
            _subscription = null;
        }

        if (cts is not null)
        {
            await cts.CancelAsync().ConfigureAwait(false);
        }

        // A loop stuck in a stalled TCP write ends when the connection's stall timeout aborts it.
        await loop.WaitAsync(TimeSpan.FromSeconds(6)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (subscription is not null)
        {
            Interlocked.Add(ref _framesDropped, subscription.DroppedFrames);
            subscription.Dispose();
        }

        cts?.Dispose();
    }

    private async Task SendLoopAsync(HubSubscription subscription, RtpTransport transport, CancellationToken cancellationToken)
    {
        // Run off the caller's (request handler's) stack.
        await Task.Yield();
        try
        {
            while (await subscription.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (subscription.TryRead(out var unit))
                {
                    bool ok;
                    try
                    {
                        ok = unit.Rtp.PacketCount == 0 || await transport.SendAsync(unit, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        unit.Release();
                    }

                    if (!ok)
                    {
                        return;
                    }

                    Interlocked.Increment(ref _framesSent);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException or IOException)
        {
            _logger.SendLoopEnded(Id, ex);
        }
    }
}
