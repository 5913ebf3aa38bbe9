using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CamStreamd.WebRtc.Srtp;

/// <summary>
/// The receiving side of SRTCP (and SRTP, for the bench's load client and tests) with
/// SRTP_AES128_CM_HMAC_SHA1_80 (RFC 3711) or SRTP_AEAD_AES_128_GCM (RFC 7714): checks the tag,
/// rejects replays (64-packet window),
/// decrypts in place. For us the keys are the client's pair of <see cref="SrtpKeyMaterial"/>.
/// Allocation-free per packet; not thread-safe (one receive path per session).
/// </summary>
public sealed class SrtpUnprotector : IDisposable
{
    private readonly SrtpCryptoContext? _crypto;
    private readonly SrtpGcmContext? _gcm;
    private readonly SrtpReplayWindow _rtcpReplay = new();
    private readonly SrtpReplayWindow _rtpReplay = new();
    private readonly SrtpRolloverCounter _rollover = new();

    /// <summary>Creates an SRTP_AES128_CM_HMAC_SHA1_80 unprotector from the peer's master key and salt.</summary>
    public SrtpUnprotector(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
        : this(SrtpProfile.AesCm128HmacSha1Tag80, masterKey, masterSalt)
    {
    }

    /// <summary>Creates the unprotector of <paramref name="profile"/> from the peer's master key and salt.</summary>
    public SrtpUnprotector(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        if (profile == SrtpProfile.AeadAes128Gcm)
        {
            _gcm = SrtpGcmContext.Derive(masterKey, masterSalt);
        }
        else
        {
            _crypto = new SrtpCryptoContext(masterKey, masterSalt);
        }
    }

    /// <summary>Bytes of tag after each SRTP packet of this profile.</summary>
    public int TagLength => _gcm is null ? SrtpProtector.AuthTagLength : SrtpProtector.MaxTagLength;

    /// <summary>
    /// Authenticates, replay-checks and decrypts the SRTCP packet in <paramref name="packet"/> in
    /// place; on <see cref="SrtpResult.Ok"/>, <paramref name="length"/> is the RTCP length (the
    /// trailer removed). Nothing is changed unless the result is Ok.
    /// </summary>
    public SrtpResult UnprotectRtcp(Span<byte> packet, out int length)
    {
        length = 0;
        if (packet.Length < 8 + TagLength + 4)
        {
            return SrtpResult.TooShort;
        }

        if ((packet[0] >> 6) != 2)
        {
            return SrtpResult.BadHeader;
        }

        return _gcm is null ? UnprotectRtcpCm(packet, out length) : UnprotectRtcpGcm(packet, out length);
    }

    /// <summary>
    /// Authenticates, replay-checks and decrypts the SRTP packet in <paramref name="packet"/> in
    /// place; on Ok, <paramref name="length"/> is the RTP length (tag removed).
    /// </summary>
    public SrtpResult UnprotectRtp(Span<byte> packet, out int length)
    {
        length = 0;
        if (packet.Length < 12 + TagLength)
        {
            return SrtpResult.TooShort;
        }

        var rtpLength = packet.Length - TagLength;
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

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        if (_gcm is not null)
        {
            if (!_gcm.OpenRtp(packet, headerLength, ssrc, (uint)(index >> 16), sequence))
            {
                return SrtpResult.AuthenticationFailed;
            }
        }
        else
        {
            if (!CryptographicOperations.FixedTimeEquals(_crypto!.RtpTag(packet[..rtpLength], (uint)(index >> 16)), packet[rtpLength..]))
            {
                return SrtpResult.AuthenticationFailed;
            }

            _crypto.TransformRtp(packet[headerLength..rtpLength], ssrc, index);
        }

        _rtpReplay.Mark(index);
        _rollover.Update(index);
        length = rtpLength;
        return SrtpResult.Ok;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _crypto?.Dispose();
        _gcm?.Dispose();
    }

    /// <summary>RFC 3711 §3.4: RTCP, E/index word, tag; the tag covers all before it.</summary>
    private SrtpResult UnprotectRtcpCm(Span<byte> packet, out int length)
    {
        length = 0;
        var authenticated = packet.Length - SrtpProtector.AuthTagLength;
        if (!CryptographicOperations.FixedTimeEquals(_crypto!.RtcpTag(packet[..authenticated]), packet[authenticated..]))
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
            _crypto.TransformRtcp(packet[8..length], ssrc, index);
        }

        return SrtpResult.Ok;
    }

    /// <summary>RFC 7714 §9: RTCP, tag, E/index word; the index is checked for replay before the (authenticating) decryption.</summary>
    private SrtpResult UnprotectRtcpGcm(Span<byte> packet, out int length)
    {
        length = 0;
        var rtcpLength = packet.Length - SrtpProtector.MaxTagLength - 4;
        var trailer = BinaryPrimitives.ReadUInt32BigEndian(packet[^4..]);
        var index = trailer & 0x7FFF_FFFF;
        var replay = _rtcpReplay.Check(index);
        if (replay != SrtpResult.Ok)
        {
            return replay;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        if (!_gcm!.OpenRtcp(packet, rtcpLength, ssrc, trailer))
        {
            return SrtpResult.AuthenticationFailed;
        }

        _rtcpReplay.Mark(index);
        length = rtcpLength;
        return SrtpResult.Ok;
    }
}
