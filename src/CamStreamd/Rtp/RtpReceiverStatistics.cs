using System.Buffers.Binary;
using System.Diagnostics;

namespace CamStreamd.Rtp;

/// <summary>
/// What a receiver keeps about one RTP source to write its reception report block (RFC 3550
/// §6.4.1): extended highest sequence number and loss (Appendix A.1 and A.3), interarrival
/// jitter (A.8), and the time of the last sender report (LSR/DLSR). Fed with packets in arrival
/// order. No allocation; not thread-safe.
/// </summary>
public sealed class RtpReceiverStatistics
{
    // RFC 3550 A.1: a jump of fewer than MaxDropout is loss; more than MaxMisorder back is a restart.
    private const int MaxDropout = 3000;
    private const int MaxMisorder = 100;
    private const int SequenceModulo = 1 << 16;

    private readonly int _clockRate;
    private bool _started;
    private ushort _maxSequence;
    private uint _cycles;
    private uint _baseSequence;
    private long _received;
    private long _expectedPrior;
    private long _receivedPrior;
    private long _lastTransit;
    private double _jitter;
    private uint _lastSenderReport;
    private long _lastSenderReportArrival;

    /// <summary>Creates the statistics of a source clocked at <paramref name="clockRate"/> Hz.</summary>
    public RtpReceiverStatistics(int clockRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(clockRate);
        _clockRate = clockRate;
    }

    /// <summary>The source's SSRC (from its latest packet).</summary>
    public uint SourceSsrc { get; private set; }

    /// <summary>Packets received (duplicates included, as RFC 3550 counts them).</summary>
    public long Received => _received;

    /// <summary>Extended highest sequence number received (cycles in the high 16 bits).</summary>
    public uint ExtendedHighestSequence => _cycles + _maxSequence;

    /// <summary>Packets expected minus packets received since the first (may be negative with duplicates).</summary>
    public long CumulativeLost => _started ? (long)(ExtendedHighestSequence - _baseSequence + 1) - _received : 0;

    /// <summary>Interarrival jitter in RTP timestamp units.</summary>
    public uint Jitter => (uint)_jitter;

    /// <summary>Counts one packet that arrived at <paramref name="arrivalTimestamp"/> (<see cref="Stopwatch"/> ticks).</summary>
    public void OnPacket(uint ssrc, ushort sequence, uint rtpTimestamp, long arrivalTimestamp)
    {
        var arrival = (long)((Int128)arrivalTimestamp * _clockRate / Stopwatch.Frequency);
        var transit = arrival - rtpTimestamp;
        if (!_started || ssrc != SourceSsrc)
        {
            Start(ssrc, sequence, transit);
            return;
        }

        var delta = (ushort)(sequence - _maxSequence);
        if (delta < MaxDropout)
        {
            if (sequence < _maxSequence)
            {
                _cycles += SequenceModulo;
            }

            _maxSequence = sequence;
        }
        else if (delta <= SequenceModulo - MaxMisorder)
        {
            // A very large jump: the sender restarted its numbering.
            Start(ssrc, sequence, transit);
            return;
        }

        _received++;

        // A.8: J += (|D| - J) / 16, D the difference in transit times of consecutive packets.
        var d = Math.Abs(transit - _lastTransit);
        _lastTransit = transit;
        _jitter += (d - _jitter) / 16.0;
    }

    /// <summary>Notes a sender report (its NTP timestamp) that arrived at <paramref name="arrivalTimestamp"/>.</summary>
    public void OnSenderReport(ulong ntpTimestamp, long arrivalTimestamp)
    {
        // LSR: the middle 32 bits of the NTP timestamp (§6.4.1).
        _lastSenderReport = (uint)(ntpTimestamp >> 16);
        _lastSenderReportArrival = arrivalTimestamp;
    }

    /// <summary>Reads the NTP timestamp of the first SR in a compound RTCP packet from <paramref name="ssrc"/>; false when there is none.</summary>
    public static bool TryReadSenderReport(ReadOnlySpan<byte> compound, out uint ssrc, out ulong ntpTimestamp)
    {
        var reader = new RtcpPacketReader(compound);
        while (reader.Next(out var type, out _, out var packet) == RtcpParseResult.Ok)
        {
            if (type == RtcpPacketReader.PacketTypeSr && packet.Length >= RtcpSenderReport.Length)
            {
                ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
                ntpTimestamp = BinaryPrimitives.ReadUInt64BigEndian(packet[8..]);
                return true;
            }
        }

        ssrc = 0;
        ntpTimestamp = 0;
        return false;
    }

    /// <summary>The report block as of <paramref name="nowTimestamp"/>; also starts the next fraction-lost interval (A.3).</summary>
    public RtcpReceiverReport TakeReport(uint reporterSsrc, long nowTimestamp)
    {
        var expected = _started ? (long)(ExtendedHighestSequence - _baseSequence + 1) : 0;
        var expectedInterval = expected - _expectedPrior;
        var receivedInterval = _received - _receivedPrior;
        _expectedPrior = expected;
        _receivedPrior = _received;
        var lostInterval = expectedInterval - receivedInterval;
        var fraction = expectedInterval == 0 || lostInterval <= 0 ? 0 : (byte)Math.Min(255, (lostInterval << 8) / expectedInterval);

        // Cumulative loss is a signed 24-bit field (§6.4.1): clamp to its range.
        var lost = (int)Math.Clamp(CumulativeLost, -0x800000, 0x7FFFFF);
        uint delay = 0;
        if (_lastSenderReportArrival != 0)
        {
            // DLSR in units of 1/65536 s.
            delay = (uint)Math.Min(uint.MaxValue, (long)((Int128)(nowTimestamp - _lastSenderReportArrival) * 65536 / Stopwatch.Frequency));
        }

        return new RtcpReceiverReport(reporterSsrc, SourceSsrc, (byte)fraction, lost, ExtendedHighestSequence, Jitter, _lastSenderReport, delay);
    }

    private void Start(uint ssrc, ushort sequence, long transit)
    {
        _started = true;
        SourceSsrc = ssrc;
        _baseSequence = sequence;
        _maxSequence = sequence;
        _cycles = 0;
        _received = 1;
        _expectedPrior = 0;
        _receivedPrior = 0;
        _lastTransit = transit;
        _jitter = 0;
    }
}
