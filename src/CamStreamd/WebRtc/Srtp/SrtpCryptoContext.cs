using System.Buffers.Binary;
using System.Security.Cryptography;

namespace CamStreamd.WebRtc.Srtp;

/// <summary>
/// The cryptographic state of one direction of SRTP_AES128_CM_HMAC_SHA1_80 (RFC 3711), shared by
/// <see cref="SrtpProtector"/> and <see cref="SrtpUnprotector"/>: the RTP and RTCP session keys
/// derived from one master key and salt, an AES-CM cipher and an HMAC-SHA1 kept for each, and the
/// IV and digest buffers, so that neither side allocates per packet. Sequence state (rollover
/// counter, SRTCP index, replay windows) stays with the side that owns it. Not thread-safe.
/// </summary>
internal sealed class SrtpCryptoContext : IDisposable
{
    /// <summary>HMAC-SHA1-80: the first 10 bytes of the 20-byte HMAC.</summary>
    public const int AuthTagLength = 10;

    private readonly SrtpSessionKeys _rtp;
    private readonly SrtpSessionKeys _rtcp;
    private readonly IncrementalHash _rtpMac;
    private readonly IncrementalHash _rtcpMac;
    private readonly byte[] _iv = new byte[16];
    private readonly byte[] _digest = new byte[20];

    /// <summary>Derives both session key sets (labels 0-2 and 3-5, §4.3) from <paramref name="masterKey"/> and <paramref name="masterSalt"/>.</summary>
    public SrtpCryptoContext(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        _rtp = SrtpSessionKeys.Derive(masterKey, masterSalt, rtcp: false);
        _rtcp = SrtpSessionKeys.Derive(masterKey, masterSalt, rtcp: true);
        _rtpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, _rtp.AuthenticationKey);
        _rtcpMac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, _rtcp.AuthenticationKey);
    }

    /// <summary>Encrypts or decrypts (the same XOR) an RTP payload of <paramref name="ssrc"/> at 48-bit <paramref name="index"/>.</summary>
    public void TransformRtp(Span<byte> payload, uint ssrc, long index)
    {
        SrtpPacket.Iv(_iv, _rtp.Salt, ssrc, index);
        _rtp.Cipher.Apply(_iv, payload);
    }

    /// <summary>Encrypts or decrypts an RTCP packet's part after its first 8 bytes (§3.4) at SRTCP <paramref name="index"/>.</summary>
    public void TransformRtcp(Span<byte> payload, uint ssrc, uint index)
    {
        SrtpPacket.Iv(_iv, _rtcp.Salt, ssrc, index);
        _rtcp.Cipher.Apply(_iv, payload);
    }

    /// <summary>
    /// The tag of an SRTP packet: HMAC-SHA1(auth key, packet || ROC), first 80 bits (§4.2).
    /// <paramref name="packet"/> is the authenticated portion (header and encrypted payload).
    /// The span is valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> RtpTag(ReadOnlySpan<byte> packet, uint rolloverCounter)
    {
        Span<byte> roc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(roc, rolloverCounter);
        _rtpMac.AppendData(packet);
        _rtpMac.AppendData(roc);
        _rtpMac.GetHashAndReset(_digest);
        return _digest.AsSpan(0, AuthTagLength);
    }

    /// <summary>
    /// Writes the tag of the SRTP packet in <paramref name="buffer"/>[..<paramref name="length"/>]
    /// right after it, with one HMAC update: the ROC is written where the tag goes, hashed with
    /// the packet, then overwritten by the tag. <paramref name="buffer"/> needs room for the tag.
    /// </summary>
    public void AppendRtpTag(Span<byte> buffer, int length, uint rolloverCounter)
    {
        BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], rolloverCounter);
        _rtpMac.AppendData(buffer[..(length + 4)]);
        _rtpMac.GetHashAndReset(_digest);
        _digest.AsSpan(0, AuthTagLength).CopyTo(buffer[length..]);
    }

    /// <summary>The tag of an SRTCP packet: HMAC-SHA1 over the packet, E flag and index (§3.4); valid until the next call.</summary>
    public ReadOnlySpan<byte> RtcpTag(ReadOnlySpan<byte> authenticated)
    {
        _rtcpMac.AppendData(authenticated);
        _rtcpMac.GetHashAndReset(_digest);
        return _digest.AsSpan(0, AuthTagLength);
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
