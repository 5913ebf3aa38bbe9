using System.Buffers.Binary;
using CamStreamd.Rtp;

namespace CamStreamd.WebRtc.Feed;

/// <summary>
/// What a browser's compound RTCP asks of us (RFC 4585, RFC 5104), read on bytes only: picture
/// loss (PSFB FMT 1), full intra request (PSFB FMT 4) and generic NACKs (RTPFB FMT 1).
/// </summary>
/// <remarks>
/// Feedback header (RFC 4585 §6.1), then the FCI:
/// <code>
/// |V=2|P|   FMT   |  PT (205/206) |          length               |
/// |                  SSRC of packet sender                        |
/// |                  SSRC of media source                         |
/// NACK FCI, repeated:  |  PID (16 bits)  |  BLP (16 bits)  |
/// FIR FCI, repeated:   |  SSRC  |  seq nr | reserved (24)  |
/// </code>
/// PID names a lost packet; bit i of BLP (LSB first) names PID + i + 1.
/// </remarks>
internal static class RtcpFeedback
{
    /// <summary>Transport-layer feedback (RTPFB).</summary>
    public const byte PacketTypeTransportFeedback = 205;

    /// <summary>RTPFB FMT of a generic NACK.</summary>
    public const int FormatGenericNack = 1;

    /// <summary>Most sequence numbers one compound may NACK that are acted on (a bound on the work one datagram can cause).</summary>
    public const int MaxNackedPerCompound = 256;

    /// <summary>
    /// Walks <paramref name="compound"/>: counts PLIs and FIRs about <paramref name="mediaSsrc"/>
    /// and writes the sequence numbers NACKed for it into <paramref name="nacked"/>. Returns the
    /// reader's verdict (a malformed tail stops reading; what came before counts).
    /// </summary>
    public static RtcpParseResult Read(ReadOnlySpan<byte> compound, uint mediaSsrc, out int plis, out int firs, out int nackPackets, Span<ushort> nacked, out int nackedCount)
    {
        plis = 0;
        firs = 0;
        nackPackets = 0;
        nackedCount = 0;
        var reader = new RtcpPacketReader(compound);
        while (true)
        {
            var result = reader.Next(out var type, out var format, out var packet);
            if (result != RtcpParseResult.Ok)
            {
                return result == RtcpParseResult.End ? RtcpParseResult.Ok : result;
            }

            if (packet.Length < 12)
            {
                continue;
            }

            var media = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
            if (type == RtcpPacketReader.PacketTypePayloadFeedback)
            {
                if (format == RtcpPictureLossIndication.FormatPictureLoss && media == mediaSsrc)
                {
                    plis++;
                }
                else if (format == RtcpPictureLossIndication.FormatFullIntraRequest)
                {
                    // FIR's media source field is 0; its entries name the senders asked (RFC 5104 §4.3.1.2).
                    for (var fci = packet[12..]; fci.Length >= 8; fci = fci[8..])
                    {
                        if (BinaryPrimitives.ReadUInt32BigEndian(fci) == mediaSsrc)
                        {
                            firs++;
                            break;
                        }
                    }
                }
            }
            else if (type == PacketTypeTransportFeedback && format == FormatGenericNack && media == mediaSsrc)
            {
                nackPackets++;
                for (var fci = packet[12..]; fci.Length >= 4; fci = fci[4..])
                {
                    var pid = BinaryPrimitives.ReadUInt16BigEndian(fci);
                    var blp = BinaryPrimitives.ReadUInt16BigEndian(fci[2..]);
                    Add(pid, nacked, ref nackedCount);
                    for (var bit = 0; bit < 16; bit++)
                    {
                        if ((blp & (1 << bit)) != 0)
                        {
                            Add((ushort)(pid + bit + 1), nacked, ref nackedCount);
                        }
                    }
                }
            }
        }
    }

    private static void Add(ushort sequence, Span<ushort> nacked, ref int count)
    {
        if (count < nacked.Length)
        {
            nacked[count++] = sequence;
        }
    }
}
