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
    private readonly SrtpCryptoContext _crypto;
    private readonly SrtpReplayWindow _rtcpReplay = new();
    private readonly SrtpReplayWindow _rtpReplay = new();
    private readonly SrtpRolloverCounter _rollover = new();

    /// <summary>Creates the unprotector from the peer's master key and salt.</summary>
    public SrtpUnprotector(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt) => _crypto = new SrtpCryptoContext(masterKey, masterSalt);

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
        if (!CryptographicOperations.FixedTimeEquals(_crypto.RtcpTag(packet[..authenticated]), packet[authenticated..]))
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

        if (!CryptographicOperations.FixedTimeEquals(_crypto.RtpTag(packet[..rtpLength], (uint)(index >> 16)), packet[rtpLength..]))
        {
            return SrtpResult.AuthenticationFailed;
        }

        _rtpReplay.Mark(index);
        _rollover.Update(index);
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        _crypto.TransformRtp(packet[headerLength..rtpLength], ssrc, index);
        length = rtpLength;
        return SrtpResult.Ok;
    }

    /// <inheritdoc />
    public void Dispose() => _crypto.Dispose();
}
