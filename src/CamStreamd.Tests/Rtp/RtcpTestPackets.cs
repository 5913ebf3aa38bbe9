using System.Buffers.Binary;

namespace CamStreamd.Tests.Rtp;

/// <summary>Builds RTCP packets byte by byte, as clients send them (RFC 3550 §6.4).</summary>
internal static class RtcpTestPackets
{
    /// <summary>An RR from <paramref name="reporter"/> with one block about <paramref name="source"/>.</summary>
    public static byte[] ReceiverReport(uint reporter, uint source, byte fraction, int cumulativeLost, uint highestSeq, uint jitter, uint lsr = 0, uint dlsr = 0)
    {
        var packet = new byte[32];
        packet[0] = 0x81; // V=2, RC=1
        packet[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), reporter);
        WriteBlock(packet.AsSpan(8), source, fraction, cumulativeLost, highestSeq, jitter, lsr, dlsr);
        return packet;
    }

    /// <summary>A viewer's keyframe request as a compound packet: RR about <paramref name="media"/>, SDES, then a PLI (RFC 4585 §3.1 order).</summary>
    public static byte[] PictureLossCompound(uint reporter, uint media)
    {
        var pli = new byte[CamStreamd.Rtp.RtcpPictureLossIndication.Length];
        CamStreamd.Rtp.RtcpPictureLossIndication.Write(pli, reporter, media);
        return [.. ReceiverReport(reporter, media, 0, 0, 1, 0), .. Sdes(reporter, "viewer"), .. pli];
    }

    /// <summary>An SDES with one CNAME chunk (what follows an RR in a compound packet).</summary>
    public static byte[] Sdes(uint ssrc, string cname)
    {
        var text = System.Text.Encoding.ASCII.GetBytes(cname);
        var length = 4 + ((((4 + 2 + text.Length) / 4) + 1) * 4);
        var packet = new byte[length];
        packet[0] = 0x81;
        packet[1] = 202;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)((length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ssrc);
        packet[8] = 1;
        packet[9] = (byte)text.Length;
        text.CopyTo(packet, 10);
        return packet;
    }

    public static void WriteBlock(Span<byte> block, uint source, byte fraction, int cumulativeLost, uint highestSeq, uint jitter, uint lsr, uint dlsr)
    {
        BinaryPrimitives.WriteUInt32BigEndian(block, source);
        BinaryPrimitives.WriteUInt32BigEndian(block[4..], ((uint)fraction << 24) | ((uint)cumulativeLost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(block[8..], highestSeq);
        BinaryPrimitives.WriteUInt32BigEndian(block[12..], jitter);
        BinaryPrimitives.WriteUInt32BigEndian(block[16..], lsr);
        BinaryPrimitives.WriteUInt32BigEndian(block[20..], dlsr);
    }
}
