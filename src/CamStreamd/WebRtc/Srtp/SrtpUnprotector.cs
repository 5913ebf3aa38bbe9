using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CamStreamd.WebRtc.Srtp;

/// <summary>
/// The receiving side of SRTCP (and SRTP, for the bench's load client and tests) with
/// SRTP_AES128_CM_HMAC_SHA1_80 (RFC 3711): checks the tag, rejects replays (64-packet window),
/// decrypts in place. For us the keys are the client's pair of <see cref="SrtpKeyMaterial"/>.
/// Allocation-free per packet; not thread-safe (one receive path per session).
/// </summary>
public sealed class SrtpUnprotector : IDisposable
{
    private readonly SrtpSessionKeys _rtp;
    private readonly SrtpSessionKeys _rtcp;
    private readonly IncrementalHash _rtpMac;
    private readonly IncrementalHash _rtcpMac;
    private readonly byte[] _iv = new byte[16];
    private readonly byte[] _digest = new byte[20];
    private readonly SrtpReplayWindow _rtcpReplay = new();
    private readonly SrtpReplayWindow _rtpReplay = new();
    private readonly SrtpRolloverCounter _rollover = new();

    /// <summary>Creates the unprotector from the peer's master key and salt.</summary>
    public SrtpUnprotector(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        _rtp = SrtpSessionKeys.Derive(masterKey, masterSalt, rtcp: false);
        _rtcp = SrtpSessionKeys.Derive(masterKey, masterSalt, rtcp: true);
        _rtpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, _rtp.AuthenticationKey);
        _rtcpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, _rtcp.AuthenticationKey);
    }

    /// <summary>
    /// Authenticates, replay-checks and decrypts the SRTCP packet in <paramref name="packet"/> in
    /// place; on <see cref="SrtpResult.Ok"/>, <paramref name="length"/> is the RTCP length (the
    /// trailer removed). Nothing is changed unless the result is Ok.
    /// </summary>
    public SrtpResult UnprotectRtcp(Span<byte> packet, out int length)
    {
        length = 0;
        if (packet.Length < 8 + SrtpProtector.SrtcpTrailerLength)
        {
            return SrtpResult.TooShort;
        }

        if ((packet[0] >> 6) != 2)
        {
            return SrtpResult.BadHeader;
        }

        var authenticated = packet.Length - SrtpProtector.AuthTagLength;
        _rtcpMac.AppendData(packet[..authenticated]);
        _rtcpMac.GetHashAndReset(_digest);
        if (!CryptographicOperations.FixedTimeEquals(_digest.AsSpan(0, SrtpProtector.AuthTagLength), packet[authenticated..]))
        {
            return SrtpResult.AuthenticationFailed;
        }

        var trailer = BinaryPrimitives.ReadUInt32BigEndian(packet[(authenticated - 4)..]);
        var index = trailer & 0x7FFF_FFFF;
        var replay = _rtcpReplay.Check(index);
        if (replay != SrtpResult.Ok)
        {
            return replay;
        }

        _rtcpReplay.Mark(index);
        length = authenticated - 4;
        if ((trailer & 0x8000_0000) != 0)
        {
            var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
            SrtpPacket.Iv(_iv, _rtcp.Salt, ssrc, index);
            _rtcp.Cipher.Apply(_iv, packet[8..length]);
        }

        return SrtpResult.Ok;
    }

    /// <summary>
    /// Authenticates, replay-checks and decrypts the SRTP packet in <paramref name="packet"/> in
    /// place; on Ok, <paramref name="length"/> is the RTP length (tag removed).
    /// </summary>
    public SrtpResult UnprotectRtp(Span<byte> packet, out int length)
    {
        length = 0;
        if (packet.Length < 12 + SrtpProtector.AuthTagLength)
        {
            return SrtpResult.TooShort;
        }

        var rtpLength = packet.Length - SrtpProtector.AuthTagLength;
        var headerLength = SrtpPacket.RtpHeaderLength(packet[..rtpLength]);
        if (headerLength < 0)
        {
            return SrtpResult.BadHeader;
        }

        var sequence = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var index = _rollover.IndexFor(sequence);
        var replay = _rtpReplay.Check(index);
        if (replay != SrtpResult.Ok)
        {
            return replay;
        }

        Span<byte> roc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(roc, (uint)(index >> 16));
        _rtpMac.AppendData(packet[..rtpLength]);
        _rtpMac.AppendData(roc);
        _rtpMac.GetHashAndReset(_digest);
        if (!CryptographicOperations.FixedTimeEquals(_digest.AsSpan(0, SrtpProtector.AuthTagLength), packet[rtpLength..]))
        {
            return SrtpResult.AuthenticationFailed;
        }

        _rtpReplay.Mark(index);
        _rollover.Update(index);
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        SrtpPacket.Iv(_iv, _rtp.Salt, ssrc, index);
        _rtp.Cipher.Apply(_iv, packet[headerLength..rtpLength]);
        length = rtpLength;
        return SrtpResult.Ok;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _rtpMac.Dispose();
        _rtcpMac.Dispose();
        _rtp.Dispose();
        _rtcp.Dispose();
    }
}
