using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.Rtp;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>
/// The sending half of an <see cref="RtspSession"/>, a viewer of its stream's <see cref="RtspFanout"/>:
/// on each pass it sends what its queue holds without waiting (<see cref="ServeNow"/>), and an RTCP
/// sender report every <see cref="RtspServerOptions.RtcpInterval"/>. When the socket takes only
/// part of a frame it leaves the passes and drains on its own, waiting for room, until its queue
/// is empty. It keeps what was sent (frames and bytes for the API, packets and payload octets for
/// the sender reports) and where a PLAY after a PAUSE may start: at the first keyframe newer than
/// what was sent, never at older frames again. The session owns the subscription, the lease and
/// the token that ends a drain.
/// </summary>
internal sealed partial class RtspSessionSender
{
    private const int Serving = 0;
    private const int Draining = 1;
    private const int Gone = 2;

    private readonly StreamHub _hub;
    private readonly RtspSessionRtcp? _rtcp;
    private readonly TimeSpan _rtcpInterval;
    private readonly ILogger _logger;
    private readonly string _sessionId;
    private long _framesSent;
    private long _bytesSent;
    private long _packetsSent;
    private long _octetsSent;
    private long _lastSentTimestamp90k = long.MinValue;
    private long _lastReport;
    private bool _resuming;
    private bool _askedForKeyframe;
    private int _mode;
    private RtspFanout? _fanout;
    private HubSubscription? _subscription;
    private RtpTransport? _transport;
    private UdpUnicastTransport? _udp;
    private CancellationToken _token;
    private Task _drain = Task.CompletedTask;
    private long _drains;

    public RtspSessionSender(StreamHub hub, RtspSessionRtcp? rtcp, TimeSpan rtcpInterval, ILogger logger, string sessionId)
    {
        _hub = hub;
        _rtcp = rtcp;
        _rtcpInterval = rtcpInterval;
        _logger = logger;
        _sessionId = sessionId;
    }

    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Times the socket took only part of a frame and the viewer drained on its own.</summary>
    public long Drains => Interlocked.Read(ref _drains);

    /// <summary>True while the viewer drains on its own (the fan-out's passes skip it).</summary>
    public bool IsDraining => Volatile.Read(ref _mode) == Draining;

    /// <summary>Bytes sent on the wire (RTP, interleaved headers over TCP).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>
    /// Called as the session subscribes again (PLAY): a session that has sent before resumes only
    /// at a newer keyframe. The session calls it under its lock, before the loop runs.
    /// </summary>
    public void OnSubscribed() => _resuming = Interlocked.Read(ref _lastSentTimestamp90k) != long.MinValue;

    /// <summary>SR + SDES + BYE for the session's end, or null when nothing was sent (or no RTCP).</summary>
    public Memory<byte>? ByeReport()
    {
        // Not a conditional expression: its null would convert to an empty Memory<byte> (through byte[]), not to no report.
        if (_rtcp is null || Interlocked.Read(ref _packetsSent) == 0)
        {
            return null;
        }

        return _rtcp.BuildReport(_packetsSent, _octetsSent, bye: true);
    }

    /// <summary>Releases queued units a resuming session must not send; true once the head is sendable.</summary>
    public bool SkipUnsendable(HubSubscription subscription, ref bool askedForKeyframe)
    {
        while (subscription.TryPeek(out var head))
        {
            if (CanStartWith(head))
            {
                _resuming = false;
                return true;
            }

            if (subscription.TryRead(out var stale))
            {
                stale.Release();
            }

            if (!askedForKeyframe)
            {
                // The cached GOP is older than what the viewer already has: get a fresh keyframe soon.
                askedForKeyframe = true;
                _hub.RequestKeyframe();
            }
        }

        return false;
    }

    /// <summary>Joins <paramref name="fanout"/>, sending what <paramref name="subscription"/> brings over <paramref name="transport"/> until <see cref="StopAsync"/> or the transport fails.</summary>
    public void Start(RtspFanout fanout, HubSubscription subscription, RtpTransport transport, CancellationToken cancellationToken)
    {
        _fanout = fanout;
        _subscription = subscription;
        _transport = transport;
        _udp = transport as UdpUnicastTransport;
        _token = cancellationToken;
        _askedForKeyframe = false;
        _drain = Task.CompletedTask;
        Volatile.Write(ref _mode, Serving);

        // The passes and the drains read the queue; neither waits on it.
        subscription.ReaderPolls();
        fanout.Add(this);
    }

    /// <summary>Leaves the fan-out and waits (bounded) for a drain to end; the caller cancelled its token first.</summary>
    public async Task StopAsync()
    {
        if (_fanout is not { } fanout)
        {
            return;
        }

        fanout.Remove(this);

        // A drain stuck in a stalled TCP write ends when the connection's stall timeout aborts it.
        await _drain.WaitAsync(TimeSpan.FromSeconds(6)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _fanout = null;
        _subscription = null;
        _transport = null;
        _udp = null;
    }

    /// <summary>
    /// Called by the fan-out's pass: sends every queued unit (and a due report) without waiting.
    /// A UDP viewer instead stages its next unit in <paramref name="udpBatch"/>, which sends it with
    /// the other viewers' and then calls <see cref="OnStagedSent"/>.
    /// What the socket does not take starts a drain, and the passes skip this viewer until it ends.
    /// <paramref name="now"/> is the pass's <see cref="Stopwatch"/> timestamp (one clock read per pass, not per viewer).
    /// </summary>
    public void ServeNow(long now, UdpFanoutBatch udpBatch)
    {
        if (Volatile.Read(ref _mode) != Serving || _subscription is not { } subscription || _transport is not { } transport)
        {
            return;
        }

        try
        {
            if (_resuming && !SkipUnsendable(subscription, ref _askedForKeyframe))
            {
                return;
            }

            if (_udp is { } udp && StageNext(subscription, udp, udpBatch, now))
            {
                return;
            }

            while (subscription.TryRead(out var unit))
            {
                DirectSendResult result;
                var progress = 0;
                try
                {
                    result = unit.Rtp.PacketCount == 0 ? DirectSendResult.Complete : transport.TrySendNow(unit, out progress);
                }
                catch
                {
                    unit.Release();
                    throw;
                }

                if (result == DirectSendResult.Partial)
                {
                    StartDrain(unit, progress, null, 0);
                    return;
                }

                if (result == DirectSendResult.Gone)
                {
                    unit.Release();
                    Volatile.Write(ref _mode, Gone);
                    return;
                }

                Account(unit, transport);
                unit.Release();
                if (!TryReportNow(transport, now))
                {
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or System.Net.Sockets.SocketException or IOException)
        {
            Volatile.Write(ref _mode, Gone);
            _logger.SendLoopEnded(_sessionId, ex);
        }
    }

    /// <summary>True when <paramref name="unit"/> may be the first one sent after (re)starting.</summary>
    private bool CanStartWith(AccessUnit unit) =>
        !_resuming || (unit.IsKeyframe && unit.Timestamp90k > Interlocked.Read(ref _lastSentTimestamp90k));

    /// <summary>
    /// Counts <paramref name="unit"/> as sent; called before its release (a released unit may be
    /// reused at once). One writer at a time (a pass, or the drain that took the viewer off the
    /// passes: the mode hands it over), so plain adds published with volatile writes do; readers
    /// (the API, the reports) see whole 64-bit values.
    /// </summary>
    private void Account(AccessUnit unit, RtpTransport transport)
    {
        var block = unit.Rtp;
        var bytes = transport.WireLength(unit);
        Volatile.Write(ref _framesSent, _framesSent + 1);
        Volatile.Write(ref _bytesSent, _bytesSent + bytes);
        Volatile.Write(ref _packetsSent, _packetsSent + block.PacketCount);
        // SR octet count is payload only (RFC 3550 §6.4.1): minus the fixed RTP header (no CSRC, no extension).
        Volatile.Write(ref _octetsSent, _octetsSent + block.Length - ((long)block.PacketCount * (WirePacketBlock.InterleavedHeaderLength + RtpHeader.FixedLength)));
        Volatile.Write(ref _lastSentTimestamp90k, unit.Timestamp90k);
        _hub.Counters.AddSent(bytes);
    }

    /// <summary>A due report, sent without waiting; false when this viewer stops being served (a drain took over, or it is gone).</summary>
    private bool TryReportNow(RtpTransport transport, long now)
    {
        if (!ReportDue(now))
        {
            return true;
        }

        var report = _rtcp!.BuildReport(_packetsSent, _octetsSent, bye: false);
        switch (transport.TrySendRtcpNow(report, out var progress))
        {
            case DirectSendResult.Complete:
                return true;
            case DirectSendResult.Partial:
                StartDrain(null, 0, report, progress);
                return false;
            default:
                Volatile.Write(ref _mode, Gone);
                return false;
        }
    }

    private void StartDrain(AccessUnit? unit, int progress, Memory<byte>? report, int reportProgress)
    {
        Volatile.Write(ref _mode, Draining);
        Interlocked.Increment(ref _drains);
        _logger.SessionSendBacklogged(_sessionId);
        _drain = DrainAsync(unit, progress, report, reportProgress);
    }

    /// <summary>
    /// Sends the rest of what the socket did not take, then the queue, waiting for room each time;
    /// hands the viewer back to the passes once the queue is empty. Owns <paramref name="unit"/>.
    /// </summary>
    private async Task DrainAsync(AccessUnit? unit, int progress, Memory<byte>? report, int reportProgress)
    {
        // Off the fan-out's pass, which must not wait.
        await Task.Yield();
        var transport = _transport!;
        var subscription = _subscription!;
        var ok = true;
        try
        {
            if (unit is not null)
            {
                try
                {
                    ok = await transport.SendRestAsync(unit, progress, _token).ConfigureAwait(false);
                    if (ok)
                    {
                        Account(unit, transport);
                    }
                }
                finally
                {
                    unit.Release();
                }

                ok = ok && await MaybeSendReportAsync(transport, _token).ConfigureAwait(false);
            }
            else if (report is { } pending)
            {
                ok = await transport.SendRtcpRestAsync(pending, reportProgress, _token).ConfigureAwait(false);
            }

            while (ok && subscription.TryRead(out var next))
            {
                try
                {
                    ok = next.Rtp.PacketCount == 0 || await transport.SendAsync(next, _token).ConfigureAwait(false);
                    if (ok)
                    {
                        Account(next, transport);
                    }
                }
                finally
                {
                    next.Release();
                }

                ok = ok && await MaybeSendReportAsync(transport, _token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException or IOException)
        {
            ok = false;
            _logger.SendLoopEnded(_sessionId, ex);
        }

        Volatile.Write(ref _mode, ok ? Serving : Gone);
        if (ok)
        {
            // What was queued since the last read goes out on this pass rather than the next frame's.
            _fanout?.Signal();
        }
    }

    /// <summary>An SR after the first frame (so clients can sync early), then every RTCP interval.</summary>
    private ValueTask<bool> MaybeSendReportAsync(RtpTransport transport, CancellationToken cancellationToken) =>
        ReportDue(Stopwatch.GetTimestamp()) ? transport.SendRtcpAsync(_rtcp!.BuildReport(_packetsSent, _octetsSent, bye: false), cancellationToken) : ValueTask.FromResult(true);

    /// <summary>True (and the clock restarted) when a report is to go at <paramref name="now"/>.</summary>
    private bool ReportDue(long now)
    {
        if (_rtcp is null || (_lastReport != 0 && Stopwatch.GetElapsedTime(_lastReport, now) < _rtcpInterval))
        {
            return false;
        }

        _lastReport = now;
        return true;
    }
}
