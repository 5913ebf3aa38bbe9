using System.Buffers.Binary;

namespace CamStreamd.Rtp;

/// <summary>
/// Writes an RTCP BYE for one source without a reason (RFC 3550 §6.6). It must follow an SR or
/// RR (and SDES) in a compound packet (§6.1).
/// </summary>
/// <remarks>
/// <code>
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  SC=1   |   PT=BYE=203  |          length = 1           |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                              SSRC                             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// </remarks>
public static class RtcpBye
{
    /// <summary>Bytes of a BYE for one source without a reason.</summary>
    public const int Length = 8;

    /// <summary>Writes the BYE; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, uint ssrc)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException("Destination is shorter than a BYE packet.", nameof(destination));
        }

        destination[0] = (RtpHeader.Version << 6) | 1; // SC = 1
        destination[1] = RtcpPacketReader.PacketTypeBye;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (Length / 4) - 1);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        return Length;
    }
}
