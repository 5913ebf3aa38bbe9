using System.Buffers.Binary;

namespace CamStreamd.Rtp;

/// <summary>
/// Writes and finds RTCP Picture Loss Indications (RFC 4585 §6.3.1): a receiver tells the sender of
/// <c>media source</c> that it cannot decode until the next keyframe, so an encoder that honours it
/// sends an IDR at once instead of at the end of its GOP. It follows the RR and SDES of a compound
/// packet (RFC 4585 §3.1). Servers that do not know it ignore it (RFC 3550 §6.1: unknown packet
/// types are skipped), so sending it costs nothing where it does not help.
/// </summary>
/// <remarks>
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P| FMT=1   |   PT=PSFB=206 |          length = 2           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of packet sender                        |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                  SSRC of media source                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public static class RtcpPictureLossIndication
{
    /// <summary>The feedback message type of a PLI within payload-specific feedback.</summary>
    public const int FormatPictureLoss = 1;

    /// <summary>The feedback message type of a Full Intra Request (RFC 5104 §4.3.1), which asks for the same.</summary>
    public const int FormatFullIntraRequest = 4;

    /// <summary>Bytes of a PLI (no feedback control information).</summary>
    public const int Length = 12;

    /// <summary>Bytes of one FIR entry (SSRC, sequence number, reserved) after the common feedback header.</summary>
    private const int FirEntryLength = 8;

    /// <summary>Writes the PLI from <paramref name="senderSsrc"/> about <paramref name="mediaSsrc"/>; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, uint senderSsrc, uint mediaSsrc)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException("Destination is shorter than a PLI packet.", nameof(destination));
        }

        destination[0] = (RtpHeader.Version << 6) | FormatPictureLoss;
        destination[1] = RtcpPacketReader.PacketTypePayloadFeedback;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (Length / 4) - 1);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
        return Length;
    }

    /// <summary>
    /// True when <paramref name="compound"/> holds a PLI about <paramref name="mediaSsrc"/>, or a
    /// FIR with an entry for it (its media source field is 0; the entries name the senders).
    /// Reads bytes only; a malformed compound is simply not a request.
    /// </summary>
    public static bool RequestsKeyframe(ReadOnlySpan<byte> compound, uint mediaSsrc)
    {
        var reader = new RtcpPacketReader(compound);
        while (reader.Next(out var type, out var format, out var packet) == RtcpParseResult.Ok)
        {
            if (type != RtcpPacketReader.PacketTypePayloadFeedback || packet.Length < Length)
            {
                continue;
            }

            if (format == FormatPictureLoss && BinaryPrimitives.ReadUInt32BigEndian(packet[8..]) == mediaSsrc)
            {
                return true;
            }

            if (format == FormatFullIntraRequest)
            {
                for (var entry = packet[Length..]; entry.Length >= FirEntryLength; entry = entry[FirEntryLength..])
                {
                    if (BinaryPrimitives.ReadUInt32BigEndian(entry) == mediaSsrc)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }
}
