using System.Buffers.Binary;
using CamStreamd.Rtp;

namespace CamStreamd.Tests.Rtp;

/// <summary>
/// Keyframe requests in RTCP: a PLI (RFC 4585 §6.3.1) is found about the right media SSRC only,
/// a FIR (RFC 5104 §4.3.1) by its entries, and malformed compounds are not requests.
/// </summary>
public class RtcpPictureLossIndicationTests
{
    private const uint Media = 0x11223344;

    private static byte[] Fir(uint sender, params uint[] targets)
    {
        var packet = new byte[12 + (8 * targets.Length)];
        packet[0] = 0x80 | RtcpPictureLossIndication.FormatFullIntraRequest;
        packet[1] = RtcpPacketReader.PacketTypePayloadFeedback;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)((packet.Length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sender);
        for (var i = 0; i < targets.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12 + (8 * i)), targets[i]);
            packet[16 + (8 * i)] = (byte)(i + 1); // command sequence number
        }

        return packet;
    }

    private static byte[] Pli(uint sender, uint media)
    {
        var packet = new byte[RtcpPictureLossIndication.Length];
        Assert.Equal(RtcpPictureLossIndication.Length, RtcpPictureLossIndication.Write(packet, sender, media));
        return packet;
    }

    [Fact]
    public void A_pli_after_an_rr_and_sdes_asks_for_a_keyframe_of_its_media_only()
    {
        byte[] compound = [.. RtcpTestPackets.ReceiverReport(7, Media, 0, 0, 1, 0), .. RtcpTestPackets.Sdes(7, "viewer"), .. Pli(7, Media)];
        Assert.True(RtcpPictureLossIndication.RequestsKeyframe(compound, Media));
        Assert.False(RtcpPictureLossIndication.RequestsKeyframe(compound, Media + 1));
        Assert.False(RtcpPictureLossIndication.RequestsKeyframe(compound.AsSpan(0, compound.Length - RtcpPictureLossIndication.Length), Media));
    }

    [Fact]
    public void A_fir_asks_for_the_senders_it_lists()
    {
        byte[] compound = [.. RtcpTestPackets.ReceiverReport(7, Media, 0, 0, 1, 0), .. Fir(7, 0x55, Media)];
        Assert.True(RtcpPictureLossIndication.RequestsKeyframe(compound, Media));
        Assert.True(RtcpPictureLossIndication.RequestsKeyframe(compound, 0x55));
        Assert.False(RtcpPictureLossIndication.RequestsKeyframe(compound, 0x56));
    }

    [Fact]
    public void Malformed_or_other_feedback_is_not_a_request()
    {
        var pli = Pli(7, Media);
        Assert.False(RtcpPictureLossIndication.RequestsKeyframe(pli.AsSpan(0, 8), Media));
        var truncatedLength = (byte[])pli.Clone();
        truncatedLength[3] = 1; // says 8 bytes: no media SSRC
        Assert.False(RtcpPictureLossIndication.RequestsKeyframe(truncatedLength, Media));
        var sli = (byte[])pli.Clone();
        sli[0] = 0x80 | 2; // FMT 2: slice loss, not a keyframe request
        Assert.False(RtcpPictureLossIndication.RequestsKeyframe(sli, Media));
        var generic = (byte[])pli.Clone();
        generic[1] = 205; // transport-layer feedback (NACK)
        Assert.False(RtcpPictureLossIndication.RequestsKeyframe(generic, Media));
        var badVersion = (byte[])pli.Clone();
        badVersion[0] = 0x41;
        Assert.False(RtcpPictureLossIndication.RequestsKeyframe(badVersion, Media));
        Assert.False(RtcpPictureLossIndication.RequestsKeyframe([], Media));
        Assert.Throws<ArgumentException>(() => RtcpPictureLossIndication.Write(new byte[11], 1, 2));
    }
}
