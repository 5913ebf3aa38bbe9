using System.Buffers.Binary;
using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.Rtp;

namespace CamStreamd.Rtsp;

/// <summary>
/// The RTCP side of one session (RFC 3550 §6): builds its compound sender reports (SR + SDES
/// CNAME, + BYE at the end) into one reused buffer, and keeps what the client's receiver reports
/// say about our stream. Report building happens on the session's send loop only; reports
/// received may arrive on any thread, so their fields are read and written atomically.
/// </summary>
internal sealed class RtspSessionRtcp
{
    private readonly H264RtpPacketizer _clock;
    private readonly StreamCounters _counters;
    private readonly byte[] _buffer;
    private readonly int _sdesLength;
    private readonly Action? _keyframeRequested;
    private long _lastCumulativeLost;
    private int _fractionLost;
    private long _jitterMicroseconds;
    private long _reportsReceived;
    private long _malformedReceived;
    private long _reportsEchoingSenderReport;
    private long _keyframeRequestsReceived;
    private long _keyframeRequestsPassedOn;
    private long _lastKeyframeRequestPassedOn;

    /// <summary>Creates the RTCP side of a session.</summary>
    /// <param name="clock">The stream's packetizer (SSRC and RTP clock).</param>
    /// <param name="counters">The stream's counters.</param>
    /// <param name="cname">Our SDES CNAME.</param>
    /// <param name="keyframeRequested">Called for a client's PLI or FIR about our stream (at most once per <see cref="KeyframeRequestInterval"/>), or null to ignore them.</param>
    public RtspSessionRtcp(H264RtpPacketizer clock, StreamCounters counters, string cname, Action? keyframeRequested = null)
    {
        _clock = clock;
        _counters = counters;
        _keyframeRequested = keyframeRequested;
        _sdesLength = RtcpSenderReport.SdesLength(cname);
        _buffer = new byte[WirePacketBlock.InterleavedHeaderLength + RtcpSenderReport.Length + _sdesLength + RtcpBye.Length];
        // The SDES never changes: write it once (§6.5.1 CNAME stays fixed for the session).
        RtcpSenderReport.WriteSdesCname(_buffer.AsSpan(WirePacketBlock.InterleavedHeaderLength + RtcpSenderReport.Length), clock.Ssrc, cname);
    }

    public uint Ssrc => _clock.Ssrc;

    /// <summary>The latest fraction lost a receiver reported, in 1/256.</summary>
    public int FractionLost => Volatile.Read(ref _fractionLost);

    /// <summary>The latest cumulative loss a receiver reported.</summary>
    public long CumulativeLost => Interlocked.Read(ref _lastCumulativeLost);

    /// <summary>The latest interarrival jitter a receiver reported, in microseconds.</summary>
    public long JitterMicroseconds => Interlocked.Read(ref _jitterMicroseconds);

    /// <summary>Receiver reports about our stream read so far.</summary>
    public long ReportsReceived => Interlocked.Read(ref _reportsReceived);

    /// <summary>Receiver reports whose LSR field is set, i.e. the client had received one of our sender reports (RFC 3550 §6.4.1).</summary>
    public long ReportsEchoingSenderReport => Interlocked.Read(ref _reportsEchoingSenderReport);

    /// <summary>
    /// Least time between two keyframe requests of one client passed on to the encoder: a client
    /// that repeats its PLI every packet cannot make the stream all IDRs (one per second is what a
    /// decoder that lost a picture needs; the encoder's next IDR answers the repeats).
    /// </summary>
    public static readonly TimeSpan KeyframeRequestInterval = TimeSpan.FromSeconds(1);

    /// <summary>PLIs and FIRs about our stream received from the client.</summary>
    public long KeyframeRequestsReceived => Interlocked.Read(ref _keyframeRequestsReceived);

    /// <summary>Of those, the ones passed on to the encoder (the rest came within <see cref="KeyframeRequestInterval"/> of the previous).</summary>
    public long KeyframeRequestsPassedOn => Interlocked.Read(ref _keyframeRequestsPassedOn);

    /// <summary>RTCP packets from the client that did not parse.</summary>
    public long MalformedReceived => Interlocked.Read(ref _malformedReceived);

    /// <summary>
    /// Writes SR + SDES (+ BYE) for "now" behind a 4-byte interleaved header (channel 0; the TCP
    /// transport patches it, UDP skips it). The SR maps the current wall-clock time to the RTP time
    /// of the stream's own clock: the packetizer stamps units with their monotonic capture time plus
    /// its offset, so the same conversion of the monotonic "now" gives the matching RTP time.
    /// </summary>
    public Memory<byte> BuildReport(long packetsSent, long octetsSent, bool bye)
    {
        var span = _buffer.AsSpan();
        var rtpNow = _clock.ToRtpTimestamp(AccessUnit.TicksTo90k(Stopwatch.GetTimestamp()));
        var ntpNow = RtcpSenderReport.ToNtpTimestamp(DateTime.UtcNow);
        var offset = WirePacketBlock.InterleavedHeaderLength;
        offset += RtcpSenderReport.Write(span[offset..], _clock.Ssrc, ntpNow, rtpNow, packetsSent, octetsSent);
        offset += _sdesLength;
        if (bye)
        {
            offset += RtcpBye.Write(span[offset..], _clock.Ssrc);
        }

        span[0] = WirePacketBlock.InterleavedMagic;
        span[1] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], (ushort)(offset - WirePacketBlock.InterleavedHeaderLength));
        return _buffer.AsMemory(0, offset);
    }

    /// <summary>
    /// Reads a compound RTCP packet from the client; keeps its report about our SSRC and feeds the
    /// stream's counters; passes a PLI or FIR about our SSRC on (rate-limited).
    /// </summary>
    public RtcpParseResult OnReceived(ReadOnlySpan<byte> compound)
    {
        var result = RtcpReceiverReport.TryFind(compound, _clock.Ssrc, out var report);
        if (result == RtcpParseResult.Ok)
        {
            Interlocked.Increment(ref _reportsReceived);
            if (report.LastSenderReport != 0)
            {
                Interlocked.Increment(ref _reportsEchoingSenderReport);
            }

            var previous = Interlocked.Exchange(ref _lastCumulativeLost, report.CumulativeLost);
            _counters.AddRtcpLoss(report.CumulativeLost - previous);
            Volatile.Write(ref _fractionLost, report.FractionLost);
            var jitter = report.JitterMicroseconds(AccessUnit.ClockRate);
            Interlocked.Exchange(ref _jitterMicroseconds, jitter);
            _counters.SetRtcpJitter(jitter);
        }
        else if (result != RtcpParseResult.NoReport)
        {
            Interlocked.Increment(ref _malformedReceived);
        }

        if (_keyframeRequested is not null && RtcpPictureLossIndication.RequestsKeyframe(compound, _clock.Ssrc))
        {
            Interlocked.Increment(ref _keyframeRequestsReceived);
            var now = Stopwatch.GetTimestamp();
            var last = Interlocked.Read(ref _lastKeyframeRequestPassedOn);
            if ((last == 0 || Stopwatch.GetElapsedTime(last, now) >= KeyframeRequestInterval)
                && Interlocked.CompareExchange(ref _lastKeyframeRequestPassedOn, now, last) == last)
            {
                Interlocked.Increment(ref _keyframeRequestsPassedOn);
                _keyframeRequested();
            }
        }

        return result;
    }
}
