using System.Buffers.Binary;
using CamStreamd.Rtp;
using CamStreamd.WebRtc.Feed;
using CamStreamd.WebRtc.Srtp;

namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>
/// Fuzz target for what a WebRTC session reads from the browser's SRTCP datagrams:
/// <see cref="SrtpUnprotector.UnprotectRtcp"/> never throws, accepts nothing whose tag does not
/// verify and changes nothing it refuses; <see cref="RtcpFeedback.Read"/> (PLI, FIR, NACK) never
/// throws, stays within its NACK bound and finds a PLI only where a feedback packet is. Mutated
/// bytes rarely authenticate, so each input is also protected as plaintext and must round-trip,
/// which drives the decrypt path and the feedback reader with arbitrary content. One target per
/// SRTP profile: AES-CM/HMAC-SHA1-80 ("srtcp") and AES-GCM ("srtcp-gcm", tag before the index).
/// </summary>
internal static class SrtcpFuzzProperty
{
    private const uint OurSsrc = 0x1234_5678;

    private static readonly byte[] Key = Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139");
    private static readonly byte[] CmSalt = Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6");

    /// <summary>The SRTCP target of SRTP_AES128_CM_HMAC_SHA1_80; an input is one UDP datagram as the browser sends it.</summary>
    public static FuzzTarget Target { get; } = Create("srtcp", SrtpProfile.AesCm128HmacSha1Tag80);

    /// <summary>The SRTCP target of SRTP_AEAD_AES_128_GCM, what Chromium negotiates.</summary>
    public static FuzzTarget GcmTarget { get; } = Create("srtcp-gcm", SrtpProfile.AeadAes128Gcm);

    private static FuzzTarget Create(string name, SrtpProfile profile)
    {
        var salt = CmSalt[..SrtpKeyMaterial.MasterSaltLengthOf(profile)];
        return new(name, Seeds(profile, salt), datagram => Check(profile, salt, datagram));
    }

    private static void Check(SrtpProfile profile, byte[] salt, byte[] datagram)
    {
        int trailer;
        using (var unprotector = new SrtpUnprotector(profile, Key, salt))
        {
            trailer = unprotector.TagLength + 4;
            var copy = datagram.ToArray();
            var result = unprotector.UnprotectRtcp(copy, out var length);
            if (result == SrtpResult.Ok)
            {
                FuzzPropertyException.Require(length == datagram.Length - trailer, $"Ok with length {length} of {datagram.Length}");
                ReadFeedback(copy.AsSpan(0, length));
            }
            else
            {
                FuzzPropertyException.Require(copy.AsSpan().SequenceEqual(datagram), $"{result} but the datagram was changed");
            }
        }

        ReadFeedback(datagram);

        if (datagram.Length >= 8 && datagram[0] >> 6 == 2 && datagram.Length < 1500)
        {
            using var protector = new SrtpProtector(profile, Key, salt);
            using var unprotector = new SrtpUnprotector(profile, Key, salt);
            var buffer = new byte[datagram.Length + trailer];
            datagram.CopyTo(buffer, 0);
            var protectedLength = protector.ProtectRtcp(buffer, datagram.Length);
            var result = unprotector.UnprotectRtcp(buffer.AsSpan(0, protectedLength), out var length);
            FuzzPropertyException.Require(result == SrtpResult.Ok && buffer.AsSpan(0, length).SequenceEqual(datagram), $"our own SRTCP did not round-trip: {result}");
            // The tag's last byte: the packet's last for AES-CM, before the E/index word for GCM.
            buffer[protectedLength - (profile == SrtpProfile.AeadAes128Gcm ? 5 : 1)] ^= 0x01;
            using var fresh = new SrtpUnprotector(profile, Key, salt);
            FuzzPropertyException.Require(fresh.UnprotectRtcp(buffer.AsSpan(0, protectedLength), out _) == SrtpResult.AuthenticationFailed, "a flipped tag bit was accepted");
        }
    }

    private static void ReadFeedback(ReadOnlySpan<byte> compound)
    {
        Span<ushort> nacked = stackalloc ushort[RtcpFeedback.MaxNackedPerCompound];
        RtcpFeedback.Read(compound, OurSsrc, out var plis, out var firs, out var nacks, nacked, out var count);
        FuzzPropertyException.Require(plis >= 0 && firs >= 0 && nacks >= 0 && count <= nacked.Length, "feedback counts out of bounds");
        if (plis + firs + nacks > 0)
        {
            var reader = new RtcpPacketReader(compound);
            var feedback = false;
            while (reader.Next(out var type, out _, out _) == RtcpParseResult.Ok)
            {
                feedback |= type is RtcpPacketReader.PacketTypePayloadFeedback or RtcpFeedback.PacketTypeTransportFeedback;
            }

            FuzzPropertyException.Require(feedback, "feedback found without a feedback packet");
        }
    }

    /// <summary>What Chromium sends: RR + SDES, PLI, FIR, NACK with a bitmask, REMB-like PSFB, all protected with the target's keys.</summary>
    private static byte[][] Seeds(SrtpProfile profile, byte[] salt)
    {
        using var protector = new SrtpProtector(profile, Key, salt);
        byte[] Protect(byte[] rtcp)
        {
            var buffer = new byte[rtcp.Length + protector.RtcpTrailerLength];
            rtcp.CopyTo(buffer, 0);
            return buffer[..protector.ProtectRtcp(buffer, rtcp.Length)];
        }

        var rr = new byte[32];
        rr[0] = 0x81;
        rr[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(rr.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(rr.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt32BigEndian(rr.AsSpan(8), OurSsrc);
        var sdes = new byte[RtcpSenderReport.SdesLength("{b7d1-chromium}")];
        RtcpSenderReport.WriteSdesCname(sdes, 1, "{b7d1-chromium}");
        var pli = new byte[RtcpPictureLossIndication.Length];
        RtcpPictureLossIndication.Write(pli, 1, OurSsrc);
        var fir = Feedback(206, 4, 0, [.. Be(OurSsrc), 7, 0, 0, 0]);
        var nack = Feedback(205, 1, OurSsrc, [0x12, 0x34, 0x80, 0x01, 0xFF, 0xFF, 0xFF, 0xFF]);
        var remb = Feedback(206, 15, 0, [.. "REMB"u8.ToArray(), 1, 0x0A, 0x12, 0x34, .. Be(OurSsrc)]);
        return [Protect([.. rr, .. sdes]), Protect(pli), Protect([.. rr, .. fir]), Protect([.. rr, .. nack]), Protect(remb), [.. rr, .. nack]];
    }

    private static byte[] Feedback(byte type, int format, uint media, byte[] fci)
    {
        var packet = new byte[12 + fci.Length];
        packet[0] = (byte)(0x80 | format);
        packet[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)((packet.Length / 4) - 1));
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), media);
        fci.CopyTo(packet, 12);
        return packet;
    }

    private static byte[] Be(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
