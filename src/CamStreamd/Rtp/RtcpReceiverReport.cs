using System.Buffers.Binary;

namespace CamStreamd.Rtp;

/// <summary>
/// One reception report block (RFC 3550 §6.4.1, §6.4.2) from a receiver about one of our
/// sources, as found in an RR (or an SR the receiver also sends).
/// </summary>
/// <remarks>
/// RR layout (the SR differs only in 20 bytes of sender info after the reporter's SSRC):
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|    RC   |   PT=RR=201   |             length            |
/// |                     SSRC of packet sender                     |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+  block (24 bytes), RC times:
/// |                 SSRC_1 (SSRC of first source)                 |
/// | fraction lost |       cumulative number of packets lost       |
/// |           extended highest sequence number received           |
/// |                      interarrival jitter                      |
/// |                         last SR (LSR)                         |
/// |                   delay since last SR (DLSR)                  |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// </code>
/// Fraction lost is a fixed-point number with the binary point at the left edge; cumulative
/// loss is a signed 24-bit number (duplicates can make it negative); jitter is in RTP timestamp units.
/// </remarks>
/// <param name="ReporterSsrc">SSRC of the receiver that sent the report.</param>
/// <param name="SourceSsrc">SSRC the block is about (ours).</param>
/// <param name="FractionLost">Loss since the previous report, in 1/256.</param>
/// <param name="CumulativeLost">Packets lost since reception began (signed 24-bit).</param>
/// <param name="HighestSequence">Extended highest sequence number received.</param>
/// <param name="Jitter">Interarrival jitter, in RTP timestamp units.</param>
/// <param name="LastSenderReport">Middle 32 bits of the NTP time of the last SR received (0 if none).</param>
/// <param name="DelaySinceLastSenderReport">Delay since that SR, in 1/65536 s.</param>
public readonly record struct RtcpReceiverReport(
    uint ReporterSsrc,
    uint SourceSsrc,
    byte FractionLost,
    int CumulativeLost,
    uint HighestSequence,
    uint Jitter,
    uint LastSenderReport,
    uint DelaySinceLastSenderReport)
{
    /// <summary>Bytes of one report block.</summary>
    public const int BlockLength = 24;

    /// <summary>Bytes of the sender info in an SR between the reporter's SSRC and the blocks.</summary>
    public const int SenderInfoLength = 20;

    /// <summary>
    /// Finds the last report block about <paramref name="sourceSsrc"/> in the compound RTCP packet
    /// <paramref name="compound"/> (RR or SR packets). <see cref="RtcpParseResult.NoReport"/> when the
    /// compound is well formed but says nothing about that source; an error result when malformed.
    /// </summary>
    public static RtcpParseResult TryFind(ReadOnlySpan<byte> compound, uint sourceSsrc, out RtcpReceiverReport report)
    {
        report = default;
        var found = false;
        var reader = new RtcpPacketReader(compound);
        while (true)
        {
            var result = reader.Next(out var type, out var count, out var packet);
            if (result == RtcpParseResult.End)
            {
                return found ? RtcpParseResult.Ok : RtcpParseResult.NoReport;
            }

            if (result != RtcpParseResult.Ok)
            {
                return result;
            }

            if (type is not (RtcpPacketReader.PacketTypeRr or RtcpPacketReader.PacketTypeSr))
            {
                continue;
            }

            var blocksStart = RtcpPacketReader.HeaderLength + 4 + (type == RtcpPacketReader.PacketTypeSr ? SenderInfoLength : 0);
            if (blocksStart + (count * BlockLength) > packet.Length)
            {
                return RtcpParseResult.BadLength;
            }

            var reporter = BinaryPrimitives.ReadUInt32BigEndian(packet[RtcpPacketReader.HeaderLength..]);
            for (var i = 0; i < count; i++)
            {
                var block = packet.Slice(blocksStart + (i * BlockLength), BlockLength);
                if (BinaryPrimitives.ReadUInt32BigEndian(block) == sourceSsrc)
                {
                    report = ReadBlock(reporter, block);
                    found = true;
                }
            }
        }
    }

    /// <summary>Bytes of an RR packet with this one block.</summary>
    public const int PacketLength = 8 + BlockLength;

    /// <summary>Writes an RR packet (RC = 1, PT = 201) holding this block; returns the bytes written.</summary>
    public int WriteReceiverReport(Span<byte> destination)
    {
        if (destination.Length < PacketLength)
        {
            throw new ArgumentException("Destination is shorter than a receiver report.", nameof(destination));
        }

        destination[0] = (RtpHeader.Version << 6) | 1; // P=0, RC=1
        destination[1] = RtcpPacketReader.PacketTypeRr;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (PacketLength / 4) - 1);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ReporterSsrc);
        var block = destination[8..];
        BinaryPrimitives.WriteUInt32BigEndian(block, SourceSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(block[4..], ((uint)FractionLost << 24) | ((uint)CumulativeLost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(block[8..], HighestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(block[12..], Jitter);
        BinaryPrimitives.WriteUInt32BigEndian(block[16..], LastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(block[20..], DelaySinceLastSenderReport);
        return PacketLength;
    }

    /// <summary>The jitter in microseconds for a stream clocked at <paramref name="clockRate"/> Hz.</summary>
    public long JitterMicroseconds(int clockRate) => clockRate <= 0 ? 0 : (long)Jitter * 1_000_000 / clockRate;

    private static RtcpReceiverReport ReadBlock(uint reporter, ReadOnlySpan<byte> block)
    {
        // 24-bit two's complement: shift up to the sign bit and back (arithmetic shift).
        var lost = (int)(BinaryPrimitives.ReadUInt32BigEndian(block[4..]) << 8) >> 8;
        return new RtcpReceiverReport(
            reporter,
            BinaryPrimitives.ReadUInt32BigEndian(block),
            block[4],
            lost,
            BinaryPrimitives.ReadUInt32BigEndian(block[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[12..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(block[20..]));
    }
}
