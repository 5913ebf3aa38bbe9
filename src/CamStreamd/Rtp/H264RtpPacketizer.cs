using CamStreamd.Interop.Libc;
using CamStreamd.Media;
using CamStreamd.Media.H264;

namespace CamStreamd.Rtp;

/// <summary>
/// Turns each H.264 access unit into RTP packets (RFC 6184, non-interleaved mode) once per
/// stream, into <see cref="AccessUnit.Rtp"/>. One instance per stream: one SSRC and one sequence
/// number space shared by every viewer, who all send the same bytes.
/// </summary>
/// <remarks>
/// A NAL unit that fits goes out as a single NAL unit packet (§5.6): the RTP payload is the NAL
/// unit itself, header byte first. A larger one is split into FU-A fragments (§5.8):
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// | FU indicator  |   FU header   |                               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
/// |                         FU payload                            |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
///  FU indicator: |F|NRI| 28 |     FU header: |S|E|R| NAL type |
/// </code>
/// The NAL header byte is carried by the indicator (F, NRI) and FU header (type), not repeated.
/// Access unit delimiters are dropped (the marker bit delimits access units on RTP); SEI, SPS and
/// PPS stay in band. The marker bit is set on the last packet of each access unit (§5.1).
/// Not thread-safe: <see cref="Prepare"/> runs on the publishing thread; counters may be read
/// from any thread.
/// </remarks>
public sealed class H264RtpPacketizer : IAccessUnitPreparer
{
    /// <summary>Default largest RTP packet (header + payload): fits a 1500-byte Ethernet MTU with IP/UDP and tunnel headroom.</summary>
    public const int DefaultMaxPacketSize = 1400;

    /// <summary>Default dynamic payload type announced in SDP.</summary>
    public const byte DefaultPayloadType = 96;

    /// <summary>RTP clock rate for H.264, 90 kHz (RFC 6184 §8.2.1).</summary>
    public const int ClockRate = AccessUnit.ClockRate;

    /// <summary>FU indicator + FU header.</summary>
    public const int FuHeaderLength = 2;

    /// <summary>NAL unit type of an FU-A packet (RFC 6184 Table 1).</summary>
    public const int FuANalType = 28;

    /// <summary>Smallest usable packet: RTP header, FU header and one payload byte.</summary>
    public const int MinMaxPacketSize = RtpHeader.FixedLength + FuHeaderLength + 1;

    private long _lastTimestamp90k = long.MinValue;
    private long _packetsSent;
    private long _octetsSent;
    private int _nextSequenceNumber;

    /// <summary>Creates a packetizer with explicit stream identifiers (tests, or restored state).</summary>
    /// <param name="ssrc">RTP synchronization source of the stream.</param>
    /// <param name="initialSequenceNumber">Sequence number of the first packet.</param>
    /// <param name="timestampOffset">Added to each unit's 90 kHz capture time (RFC 3550 §5.1: random start).</param>
    /// <param name="maxPacketSize">Largest RTP packet in bytes, header included.</param>
    /// <param name="payloadType">Dynamic payload type, 96..127.</param>
    public H264RtpPacketizer(uint ssrc, ushort initialSequenceNumber, uint timestampOffset, int maxPacketSize = DefaultMaxPacketSize, byte payloadType = DefaultPayloadType)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPacketSize, MinMaxPacketSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxPacketSize, ushort.MaxValue);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadType, (byte)127);
        Ssrc = ssrc;
        TimestampOffset = timestampOffset;
        MaxPacketSize = maxPacketSize;
        PayloadType = payloadType;
        _nextSequenceNumber = initialSequenceNumber;
    }

    /// <summary>The stream's SSRC.</summary>
    public uint Ssrc { get; }

    /// <summary>RTP payload type.</summary>
    public byte PayloadType { get; }

    /// <summary>Largest RTP packet written, header included.</summary>
    public int MaxPacketSize { get; }

    /// <summary>Offset added to <see cref="AccessUnit.Timestamp90k"/> to form the RTP timestamp.</summary>
    public uint TimestampOffset { get; }

    /// <summary>Sequence number the next packet will carry.</summary>
    public ushort NextSequenceNumber => (ushort)Volatile.Read(ref _nextSequenceNumber);

    /// <summary>RTP packets written since start (RTCP SR "sender's packet count", mod 2^32 on the wire).</summary>
    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    /// <summary>RTP payload octets written since start, headers excluded (RTCP SR "sender's octet count").</summary>
    public long OctetsSent => Interlocked.Read(ref _octetsSent);

    /// <summary>Creates a packetizer with SSRC, first sequence number and timestamp offset from the kernel CSPRNG (RFC 3550 §5.1, §8).</summary>
    public static H264RtpPacketizer CreateRandom(int maxPacketSize = DefaultMaxPacketSize, byte payloadType = DefaultPayloadType)
    {
        Span<byte> random = stackalloc byte[10];
        KernelRandom.Fill(random);
        var ssrc = BitConverter.ToUInt32(random);
        var sequence = BitConverter.ToUInt16(random[4..]);
        var offset = BitConverter.ToUInt32(random[6..]);
        return new H264RtpPacketizer(ssrc, sequence, offset, maxPacketSize, payloadType);
    }

    /// <summary>The RTP timestamp this packetizer gives <paramref name="timestamp90k"/>.</summary>
    public uint ToRtpTimestamp(long timestamp90k) => unchecked((uint)(timestamp90k + TimestampOffset));

    /// <summary>Writes the RTP packets of <paramref name="unit"/> into its <see cref="AccessUnit.Rtp"/> block (replacing any).</summary>
    public void Prepare(AccessUnit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        Packetize(unit, unit.Rtp);
    }

    /// <summary>
    /// Writes the RTP packets of <paramref name="unit"/> into <paramref name="block"/> (replacing
    /// any): an output with its own packet size and sequence space (WebRTC's ≤ 1200-byte payloads)
    /// packetizes once per stream into a block of its own instead of the unit's.
    /// </summary>
    public void Packetize(AccessUnit unit, WirePacketBlock block)
    {
        ArgumentNullException.ThrowIfNull(unit);
        ArgumentNullException.ThrowIfNull(block);
        block.Clear();

        // The whole frame's wire bytes at once: its NAL bytes plus, per packet of MaxPacketSize,
        // an interleaved header, an RTP header and FU-A's two bytes (with room for a few small NAL units).
        block.Reserve(unit.Length + (((unit.Length / (MaxPacketSize - RtpHeader.FixedLength - 2)) + 8) * (WirePacketBlock.InterleavedHeaderLength + RtpHeader.FixedLength + 2)));

        // Every access unit gets its own, increasing RTP timestamp (RFC 6184 §5.1): a source that
        // stamps two units alike (or goes back) would otherwise give clients equal or falling DTS.
        var timestamp90k = Math.Max(unit.Timestamp90k, _lastTimestamp90k + 1);
        _lastTimestamp90k = timestamp90k;
        var timestamp = ToRtpTimestamp(timestamp90k);
        var sequence = (ushort)_nextSequenceNumber;
        block.FirstSequenceNumber = sequence;
        block.RtpTimestamp = timestamp;
        block.Ssrc = Ssrc;

        long packets = 0;
        long octets = 0;
        var reader = new AnnexBReader(unit.AnnexB);
        var haveCurrent = NextKeptNal(ref reader, out var current);
        while (haveCurrent)
        {
            var haveNext = NextKeptNal(ref reader, out var next);
            var isLastNal = !haveNext;
            if (current.Length <= MaxPacketSize - RtpHeader.FixedLength)
            {
                WriteSingle(block, current, isLastNal, ref sequence, timestamp);
                packets++;
                octets += current.Length;
            }
            else
            {
                WriteFragments(block, current, isLastNal, ref sequence, timestamp, ref packets, ref octets);
            }

            current = next;
            haveCurrent = haveNext;
        }

        Volatile.Write(ref _nextSequenceNumber, sequence);
        Interlocked.Add(ref _packetsSent, packets);
        Interlocked.Add(ref _octetsSent, octets);
    }

    private static bool NextKeptNal(ref AnnexBReader reader, out ReadOnlySpan<byte> nal)
    {
        while (reader.TryReadNext(out nal))
        {
            if (AnnexBReader.NalType(nal) != NalUnitType.AccessUnitDelimiter)
            {
                return true;
            }
        }

        return false;
    }

    private void WriteSingle(WirePacketBlock block, ReadOnlySpan<byte> nal, bool marker, ref ushort sequence, uint timestamp)
    {
        var length = RtpHeader.FixedLength + nal.Length;
        var packet = block.BeginPacket(length);
        RtpHeader.Write(packet, marker, PayloadType, sequence, timestamp, Ssrc);
        nal.CopyTo(packet[RtpHeader.FixedLength..]);
        block.CommitPacket(length);
        sequence = unchecked((ushort)(sequence + 1));
    }

    private void WriteFragments(WirePacketBlock block, ReadOnlySpan<byte> nal, bool lastNal, ref ushort sequence, uint timestamp, ref long packets, ref long octets)
    {
        var header = nal[0];
        var indicator = (byte)((header & 0xE0) | FuANalType); // F and NRI from the NAL header (§5.8)
        var type = (byte)(header & 0x1F);
        var data = nal[1..];
        var maxFragment = MaxPacketSize - RtpHeader.FixedLength - FuHeaderLength;

        // Equal-sized fragments rather than full ones followed by a runt: same packet count, steadier pacing.
        var count = (data.Length + maxFragment - 1) / maxFragment;
        var baseSize = data.Length / count;
        var larger = data.Length % count;
        var offset = 0;
        for (var i = 0; i < count; i++)
        {
            var size = baseSize + (i < larger ? 1 : 0);
            var start = i == 0;
            var end = i == count - 1;
            var length = RtpHeader.FixedLength + FuHeaderLength + size;
            var packet = block.BeginPacket(length);
            RtpHeader.Write(packet, end && lastNal, PayloadType, sequence, timestamp, Ssrc);
            packet[RtpHeader.FixedLength] = indicator;
            packet[RtpHeader.FixedLength + 1] = (byte)((start ? 0x80 : 0) | (end ? 0x40 : 0) | type);
            data.Slice(offset, size).CopyTo(packet[(RtpHeader.FixedLength + FuHeaderLength)..]);
            block.CommitPacket(length);
            sequence = unchecked((ushort)(sequence + 1));
            offset += size;
            packets++;
            octets += FuHeaderLength + size;
        }
    }
}
