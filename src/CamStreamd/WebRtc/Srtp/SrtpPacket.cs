using System.Buffers.Binary;

namespace CamStreamd.WebRtc.Srtp;

/// <summary>Wire helpers shared by protect and unprotect.</summary>
internal static class SrtpPacket
{
    /// <summary>
    /// Length of the RTP header of <paramref name="packet"/>: 12 bytes, 4 per CSRC, and the header
    /// extension (4 bytes + 4 × its length field) when X is set (RFC 3550 §5.1, §5.3.1); -1 when
    /// the packet is not version 2 or shorter than its header.
    /// </summary>
    public static int RtpHeaderLength(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 12 || (packet[0] >> 6) != 2)
        {
            return -1;
        }

        var length = 12 + (4 * (packet[0] & 0x0F));
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < length + 4)
            {
                return -1;
            }

            length += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]));
        }

        return length <= packet.Length ? length : -1;
    }

    /// <summary>
    /// The AES-CM IV of a packet (§4.1.1): IV = (k_s · 2^16) XOR (SSRC · 2^64) XOR (i · 2^16),
    /// i.e. salt in bytes 0..13, SSRC XORed into bytes 4..7, the 48-bit index into bytes 8..13.
    /// </summary>
    public static void Iv(Span<byte> iv, ReadOnlySpan<byte> salt, uint ssrc, long index)
    {
        salt.CopyTo(iv);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        iv[8] ^= (byte)(index >> 40);
        iv[9] ^= (byte)(index >> 32);
        iv[10] ^= (byte)(index >> 24);
        iv[11] ^= (byte)(index >> 16);
        iv[12] ^= (byte)(index >> 8);
        iv[13] ^= (byte)index;
    }
}
