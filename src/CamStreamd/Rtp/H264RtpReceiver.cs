using CamStreamd.Media;

namespace CamStreamd.Rtp;

/// <summary>
/// The receiving side of one pulled H.264 track, on bytes only: RTP packets of the negotiated
/// payload type go (over UDP through a <see cref="RtpReorderBuffer"/>) into an
/// <see cref="H264Depacketizer"/> whose access units go to an <see cref="IH264UnitReceiver"/>;
/// reception statistics and the server's sender reports feed the RTCP receiver reports we send
/// back (RFC 3550 §6.4.2). Packets of another payload type or SSRC-less garbage are counted and
/// ignored; a new SSRC (the sender restarted) resets the reassembly. Thread-safe: RTP and RTCP
/// may arrive on two sockets while the report is written on a third thread.
/// </summary>
public sealed class H264RtpReceiver
{
    private readonly Lock _gate = new();
    private readonly int _payloadType;
    private readonly RtpReorderBuffer? _reorder;
    private readonly H264Depacketizer _depacketizer;
    private readonly RtpReceiverStatistics _statistics;
    private readonly IH264UnitReceiver _receiver;
    private readonly UpstreamCounters? _counters;
    private bool _haveSsrc;
    private uint _ssrc;
    private long _lostSeen;
    private long _droppedSeen;
    private bool _afterLoss;

    /// <summary>Creates the receiver.</summary>
    /// <param name="payloadType">The payload type from the SDP.</param>
    /// <param name="clockRate">The clock rate from the SDP.</param>
    /// <param name="reorder">A reorder buffer (UDP), or null (TCP delivers in order).</param>
    /// <param name="maxAccessUnitSize">Largest access unit reassembled.</param>
    /// <param name="receiver">Where access units go.</param>
    /// <param name="counters">Upstream totals to count into, or null.</param>
    public H264RtpReceiver(int payloadType, int clockRate, RtpReorderBuffer? reorder, int maxAccessUnitSize, IH264UnitReceiver receiver, UpstreamCounters? counters)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        _payloadType = payloadType;
        _reorder = reorder;
        _depacketizer = new H264Depacketizer(Math.Max(64, maxAccessUnitSize));
        _statistics = new RtpReceiverStatistics(clockRate);
        _receiver = receiver;
        _counters = counters;
    }

    /// <summary>RTP packets taken (right payload type).</summary>
    public long PacketsReceived { get; private set; }

    /// <summary>RTP packets ignored: another payload type, or no valid header.</summary>
    public long PacketsIgnored { get; private set; }

    /// <summary>The depacketizer (its counters: loss, drops, units).</summary>
    public H264Depacketizer Depacketizer => _depacketizer;

    /// <summary>The reorder buffer, or null.</summary>
    public RtpReorderBuffer? Reorder => _reorder;

    /// <summary>True while the depacketizer drops units until the next IDR (at the start and after loss).</summary>
    public bool IsWaitingForKeyframe => _depacketizer.IsWaitingForKeyframe;

    /// <summary>The SSRC of the media, once a packet came.</summary>
    public uint? SourceSsrc
    {
        get
        {
            lock (_gate)
            {
                return _haveSsrc ? _ssrc : null;
            }
        }
    }

    /// <summary>Takes one RTP packet that arrived at <paramref name="arrival"/> (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public void OnRtp(ReadOnlySpan<byte> packet, long arrival)
    {
        lock (_gate)
        {
            if (RtpHeader.TryRead(packet, out var header, out _, out _) != RtpParseResult.Ok || header.PayloadType != _payloadType)
            {
                PacketsIgnored++;
                return;
            }

            PacketsReceived++;
            _counters?.AddPacket(packet.Length);
            if (!_haveSsrc || header.Ssrc != _ssrc)
            {
                if (_haveSsrc)
                {
                    // A restarted sender: its numbering and pictures start over.
                    _reorder?.Reset();
                    _depacketizer.Reset();
                }

                _haveSsrc = true;
                _ssrc = header.Ssrc;
            }

            _statistics.OnPacket(header.Ssrc, header.SequenceNumber, header.Timestamp, arrival);
            if (_reorder is null)
            {
                Depacketize(packet);
            }
            else
            {
                _reorder.Push(packet, arrival);
                while (_reorder.TryRead(out var ordered))
                {
                    Depacketize(ordered);
                }
            }

            UpdateLossCounters();
        }
    }

    /// <summary>Takes one compound RTCP packet from the server (its SR times our reports).</summary>
    public void OnRtcp(ReadOnlySpan<byte> compound, long arrival)
    {
        if (!RtpReceiverStatistics.TryReadSenderReport(compound, out var ssrc, out var ntp))
        {
            return;
        }

        lock (_gate)
        {
            if (!_haveSsrc || ssrc == _ssrc)
            {
                _statistics.OnSenderReport(ntp, arrival);
            }
        }
    }

    /// <summary>
    /// Writes a compound RTCP packet (RR about the media's SSRC, SDES CNAME, then a PLI when
    /// <paramref name="pictureLoss"/>) into <paramref name="destination"/>; returns its length, or 0 before the first packet.
    /// </summary>
    public int WriteReceiverReport(Span<byte> destination, uint reporterSsrc, string cname, long now, bool pictureLoss = false)
    {
        lock (_gate)
        {
            if (!_haveSsrc)
            {
                return 0;
            }

            var report = _statistics.TakeReport(reporterSsrc, now);
            var length = report.WriteReceiverReport(destination);
            length += RtcpSenderReport.WriteSdesCname(destination[length..], reporterSsrc, cname);
            if (pictureLoss)
            {
                length += RtcpPictureLossIndication.Write(destination[length..], reporterSsrc, _ssrc);
            }

            return length;
        }
    }

    private void Depacketize(ReadOnlySpan<byte> packet)
    {
        _depacketizer.Push(packet);
        while (_depacketizer.TryReadAccessUnit(out var unit))
        {
            _counters?.AddAccessUnit();
            _receiver.OnAccessUnit(unit.AnnexB, unit.RtpTimestamp, unit.IsKeyframe, _afterLoss);
            _afterLoss = false;
        }
    }

    private void UpdateLossCounters()
    {
        // The depacketizer sees the gaps left after reordering (what the reorder buffer gave up included).
        var lost = _depacketizer.PacketsLost;
        if (lost != _lostSeen)
        {
            _counters?.AddLost(lost - _lostSeen);
            _lostSeen = lost;
        }

        var dropped = _depacketizer.AccessUnitsDropped;
        if (dropped != _droppedSeen)
        {
            _counters?.AddAccessUnitsDropped(dropped - _droppedSeen);
            _droppedSeen = dropped;
            _afterLoss = true;
        }
    }
}
