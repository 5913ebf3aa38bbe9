using System.Buffers.Binary;
using CamStreamd.Rtp;

namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>
/// Fuzz target for what the server reads from RTCP peers (client receiver reports over UDP and
/// on the odd interleaved channel): <see cref="RtcpPacketReader"/> never throws, never hands out
/// a packet that is not a whole number of 32-bit words inside the input, stops after
/// <see cref="RtcpPacketReader.MaxPackets"/>; <see cref="RtcpReceiverReport.TryFind"/> never throws
/// and a report it finds is about the wanted source and was copied from the input;
/// <see cref="RtcpPictureLossIndication.RequestsKeyframe"/> never throws and finds a request only
/// where a payload-specific feedback packet is.
/// </summary>
internal static class RtcpFuzzProperty
{
    /// <summary>The media SSRC the reports talk about (the seeds' receiver reports name it).</summary>
    private const uint OurSsrc = 0x1234_5678;

    /// <summary>The RTCP target; an input is one compound packet, as one UDP datagram or one interleaved frame carries it.</summary>
    public static FuzzTarget Target { get; } = new("rtcp", Seeds(), Check);

    private static void Check(byte[] compound)
    {
        var reader = new RtcpPacketReader(compound);
        var consumed = 0;
        var packets = 0;
        RtcpParseResult result;
        while ((result = reader.Next(out _, out var count, out var packet)) == RtcpParseResult.Ok)
        {
            packets++;
            FuzzPropertyException.Require(packets <= RtcpPacketReader.MaxPackets, $"{packets} packets read, over the {RtcpPacketReader.MaxPackets} limit");
            FuzzPropertyException.Require(packet.Length >= RtcpPacketReader.HeaderLength && packet.Length % 4 == 0, $"a packet of {packet.Length} bytes");
            FuzzPropertyException.Require(consumed + packet.Length <= compound.Length, "a packet runs past the input");
            FuzzPropertyException.Require(count <= 31, "count field over 5 bits");
            consumed += packet.Length;
        }

        FuzzPropertyException.Require(result != RtcpParseResult.End || consumed == compound.Length, $"End after {consumed} of {compound.Length} bytes");

        var find = RtcpReceiverReport.TryFind(compound, OurSsrc, out var report);
        if (find == RtcpParseResult.Ok)
        {
            FuzzPropertyException.Require(report.SourceSsrc == OurSsrc, $"a report about {report.SourceSsrc:X8}, not {OurSsrc:X8}");
            FuzzPropertyException.Require(report.CumulativeLost is >= -(1 << 23) and < 1 << 23, "cumulative loss outside 24 bits");
            FuzzPropertyException.Require(report.JitterMicroseconds(90_000) >= 0, "negative jitter");
        }

        if (RtcpPictureLossIndication.RequestsKeyframe(compound, OurSsrc))
        {
            var feedback = new RtcpPacketReader(compound);
            var found = false;
            while (feedback.Next(out var type, out _, out _) == RtcpParseResult.Ok)
            {
                found |= type == RtcpPacketReader.PacketTypePayloadFeedback;
            }

            FuzzPropertyException.Require(found, "a keyframe request found without a payload-specific feedback packet");
        }
    }

    /// <summary>Valid compounds as clients send them: RR + SDES, SR + RR, SDES alone, RR + BYE, and a few edges.</summary>
    private static byte[][] Seeds()
    {
        var rr = ReceiverReport(0xCAFE_0001, OurSsrc, 0x1234_5678u);
        var sdes = Sdes(0xCAFE_0001, "viewer@host");
        var sr = new byte[RtcpSenderReport.Length + RtcpReceiverReport.BlockLength];
        RtcpSenderReport.Write(sr, 0xCAFE_0002, RtcpSenderReport.ToNtpTimestamp(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc)), 90_000, 300, 400_000);
        // An SR that also carries one report block (RC=1, length grows by 6 words).
        sr[0] |= 1;
        BinaryPrimitives.WriteUInt16BigEndian(sr.AsSpan(2), (ushort)((sr.Length / 4) - 1));
        rr.AsSpan(8, RtcpReceiverReport.BlockLength).CopyTo(sr.AsSpan(RtcpSenderReport.Length));
        var bye = new byte[RtcpBye.Length];
        RtcpBye.Write(bye, 0xCAFE_0001);
        var pli = new byte[RtcpPictureLossIndication.Length];
        RtcpPictureLossIndication.Write(pli, 0xCAFE_0001, OurSsrc);
        return
        [
            [.. rr, .. sdes],
            [.. sr, .. sdes],
            sdes,
            [.. rr, .. sdes, .. bye],
            [.. rr, .. sdes, .. pli],
            [.. rr[..20]],
            [.. ReceiverReport(0xCAFE_0003, 0xDEAD_BEEF, 7), .. ReceiverReport(0xCAFE_0003, OurSsrc, 0x00FF_FFFF)],
        ];
    }

    /// <summary>An RR (RFC 3550 §6.4.2) with one block about <paramref name="source"/>; <paramref name="lost"/> fills fraction and cumulative loss.</summary>
    private static byte[] ReceiverReport(uint reporter, uint source, uint lost)
    {
        var packet = new byte[8 + RtcpReceiverReport.BlockLength];
        packet[0] = 0x81;
        packet[1] = RtcpPacketReader.PacketTypeRr;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)((packet.Length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), reporter);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), source);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(12), lost);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(16), 70_000);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(20), 450);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(24), 0x1122_3344);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(28), 6554);
        return packet;
    }

    private static byte[] Sdes(uint ssrc, string cname)
    {
        var packet = new byte[RtcpSenderReport.SdesLength(cname)];
        RtcpSenderReport.WriteSdesCname(packet, ssrc, cname);
        return packet;
    }
}
