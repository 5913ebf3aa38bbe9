using System.Buffers.Binary;
using TextEncoding = System.Text.Encoding;

namespace CamStreamd.Rtp;

/// <summary>
/// Writes an RTCP sender report without reception blocks (RFC 3550 §6.4.1), optionally followed
/// by the SDES CNAME item every compound RTCP packet must carry (§6.1, §6.5.1).
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|  RC=0   |   PT=SR=200   |        length = 6               |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         SSRC of sender                        |
/// +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
/// |              NTP timestamp, most significant word             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |             NTP timestamp, least significant word             |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                         RTP timestamp                         |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                     sender's packet count                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |                      sender's octet count                     |
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// </code>
/// The length field counts 32-bit words minus one. Counts wrap modulo 2^32 (§6.4.1).
/// </remarks>
public static class RtcpSenderReport
{
    /// <summary>Bytes of a sender report with no reception report blocks.</summary>
    public const int Length = 28;

    /// <summary>RTCP packet type SR.</summary>
    public const byte PacketTypeSr = 200;

    /// <summary>RTCP packet type SDES.</summary>
    public const byte PacketTypeSdes = 202;

    /// <summary>SDES item CNAME.</summary>
    public const byte SdesCname = 1;

    private static readonly DateTime NtpEpoch = new(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Converts wall-clock time to the 64-bit NTP format: seconds since 1900 in the high word, fraction in the low.</summary>
    public static ulong ToNtpTimestamp(DateTime utc)
    {
        var ticks = utc.ToUniversalTime().Ticks - NtpEpoch.Ticks;
        var seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        var fraction = (ulong)(ticks % TimeSpan.TicksPerSecond) * (1UL << 32) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }

    /// <summary>Writes the 28-byte SR; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, uint ssrc, ulong ntpTimestamp, uint rtpTimestamp, long packetCount, long octetCount)
    {
        if (destination.Length < Length)
        {
            throw new ArgumentException("Destination is shorter than a sender report.", nameof(destination));
        }

        destination[0] = RtpHeader.Version << 6; // P=0, RC=0
        destination[1] = PacketTypeSr;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (Length / 4) - 1);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], ntpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], unchecked((uint)packetCount));
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], unchecked((uint)octetCount));
        return Length;
    }

    /// <summary>Bytes an SDES packet with one CNAME chunk takes (§6.5: null-terminated, padded to 32 bits).</summary>
    public static int SdesLength(string cname) => 4 + (((4 + 2 + TextEncoding.UTF8.GetByteCount(cname)) / 4) + 1) * 4;

    /// <summary>Writes an SDES packet with one chunk holding CNAME for <paramref name="ssrc"/>; returns the bytes written.</summary>
    public static int WriteSdesCname(Span<byte> destination, uint ssrc, string cname)
    {
        ArgumentNullException.ThrowIfNull(cname);
        var textLength = TextEncoding.UTF8.GetByteCount(cname);
        if (textLength > 255)
        {
            throw new ArgumentException("CNAME is longer than 255 bytes.", nameof(cname));
        }

        var length = SdesLength(cname);
        if (destination.Length < length)
        {
            throw new ArgumentException("Destination is too short for the SDES packet.", nameof(destination));
        }

        var packet = destination[..length];
        packet.Clear(); // the item list ends with at least one null octet, padding with more
        packet[0] = (RtpHeader.Version << 6) | 1; // SC = 1
        packet[1] = PacketTypeSdes;
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], (ushort)((length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], ssrc);
        packet[8] = SdesCname;
        packet[9] = (byte)textLength;
        TextEncoding.UTF8.GetBytes(cname, packet[10..]);
        return length;
    }
}
