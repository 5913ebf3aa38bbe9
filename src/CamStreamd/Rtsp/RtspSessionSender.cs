using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.Rtp;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>
/// The sending half of an <see cref="RtspSession"/>: the send loop (wait → read → send every packet
/// → release, and an RTCP sender report every <see cref="RtspServerOptions.RtcpInterval"/>), what
/// was sent (frames and bytes for the API, packets and payload octets for the sender reports), and
/// where a PLAY after a PAUSE may start: at the first keyframe newer than what was sent, never at
/// older frames again. The session owns the subscription, the lease and the loop's lifetime.
/// </summary>
internal sealed class RtspSessionSender
{
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

    public RtspSessionSender(StreamHub hub, RtspSessionRtcp? rtcp, TimeSpan rtcpInterval, ILogger logger, string sessionId)
    {
        _hub = hub;
        _rtcp = rtcp;
        _rtcpInterval = rtcpInterval;
        _logger = logger;
        _sessionId = sessionId;
    }

    public long FramesSent => Interlocked.Read(ref _framesSent);

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

    /// <summary>Sends what <paramref name="subscription"/> brings over <paramref name="transport"/> until cancelled or the transport fails.</summary>
    public async Task RunAsync(HubSubscription subscription, RtpTransport transport, CancellationToken cancellationToken)
    {
        // Run off the caller's (request handler's) stack.
        await Task.Yield();
        var askedForKeyframe = false;
        try
        {
            while (await subscription.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_resuming && !SkipUnsendable(subscription, ref askedForKeyframe))
                {
                    continue;
                }

                while (subscription.TryRead(out var unit))
                {
                    bool ok;
                    try
                    {
                        ok = await SendUnitAsync(unit, transport, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        unit.Release();
                    }

                    if (!ok || !await MaybeSendReportAsync(transport, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or System.Net.Sockets.SocketException or IOException)
        {
            _logger.SendLoopEnded(_sessionId, ex);
        }
    }

    /// <summary>True when <paramref name="unit"/> may be the first one sent after (re)starting.</summary>
    private bool CanStartWith(AccessUnit unit) =>
        !_resuming || (unit.IsKeyframe && unit.Timestamp90k > Interlocked.Read(ref _lastSentTimestamp90k));

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> SendUnitAsync(AccessUnit unit, RtpTransport transport, CancellationToken cancellationToken)
    {
        var block = unit.Rtp;
        if (block.PacketCount > 0 && !await transport.SendAsync(unit, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        var bytes = transport.WireLength(unit);
        Interlocked.Increment(ref _framesSent);
        Interlocked.Add(ref _bytesSent, bytes);
        Interlocked.Add(ref _packetsSent, block.PacketCount);
        // SR octet count is payload only (RFC 3550 §6.4.1): minus the fixed RTP header (no CSRC, no extension).
        Interlocked.Add(ref _octetsSent, block.Length - ((long)block.PacketCount * (WirePacketBlock.InterleavedHeaderLength + RtpHeader.FixedLength)));
        Interlocked.Exchange(ref _lastSentTimestamp90k, unit.Timestamp90k);
        _hub.Counters.AddSent(bytes);
        return true;
    }

    /// <summary>An SR after the first frame (so clients can sync early), then every RTCP interval.</summary>
    private ValueTask<bool> MaybeSendReportAsync(RtpTransport transport, CancellationToken cancellationToken)
    {
        if (_rtcp is null || (_lastReport != 0 && Stopwatch.GetElapsedTime(_lastReport) < _rtcpInterval))
        {
            return ValueTask.FromResult(true);
        }

        _lastReport = Stopwatch.GetTimestamp();
        return transport.SendRtcpAsync(_rtcp.BuildReport(_packetsSent, _octetsSent, bye: false), cancellationToken);
    }
}
