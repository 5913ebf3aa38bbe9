using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CamStreamd.WebRtc.Srtp;

/// <summary>
/// Our sending side of SRTP and SRTCP (RFC 3711) with SRTP_AES128_CM_HMAC_SHA1_80 or
/// SRTP_AEAD_AES_128_GCM (RFC 7714): encrypts and authenticates RTP packets in place (tag
/// appended) and RTCP packets (E flag, SRTCP index and tag appended, in the profile's order).
/// Keeps the rollover counter of our sequence numbers. Allocation-free per packet.
/// Not thread-safe: one caller at a time (the session's send path holds its lock).
/// </summary>
public sealed class SrtpProtector : IDisposable
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80's HMAC-SHA1-80: 10 bytes of tag after each SRTP packet.</summary>
    public const int AuthTagLength = SrtpCryptoContext.AuthTagLength;

    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80's E flag + 31-bit SRTCP index (4 bytes) and tag after each SRTCP packet.</summary>
    public const int SrtcpTrailerLength = 4 + AuthTagLength;

    /// <summary>The longest tag of any profile (AES-GCM's 16 bytes): room to leave after a packet whatever the profile.</summary>
    public const int MaxTagLength = 16;

    private const int RtpHeaderFixedLength = 12;

    private readonly SrtpCryptoContext? _crypto;
    private readonly SrtpGcmContext? _gcm;
    private readonly SrtpRolloverCounter _rollover = new();
    private uint _srtcpIndex;

    /// <summary>Creates an SRTP_AES128_CM_HMAC_SHA1_80 protector from a master key and salt.</summary>
    public SrtpProtector(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
        : this(SrtpProfile.AesCm128HmacSha1Tag80, masterKey, masterSalt)
    {
    }

    /// <summary>Creates the protector of <paramref name="profile"/> from a master key and salt (for us, the server's pair of <see cref="SrtpKeyMaterial"/>).</summary>
    public SrtpProtector(SrtpProfile profile, ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt)
    {
        if (profile == SrtpProfile.AeadAes128Gcm)
        {
            _gcm = SrtpGcmContext.Derive(masterKey, masterSalt);
        }
        else
        {
            _crypto = new SrtpCryptoContext(masterKey, masterSalt);
        }

        Profile = profile;
    }

    /// <summary>The profile this protector speaks.</summary>
    public SrtpProfile Profile { get; }

    /// <summary>Bytes of tag after each SRTP packet: 10 (AES-CM/HMAC-SHA1-80) or 16 (AES-GCM).</summary>
    public int TagLength => _gcm is null ? AuthTagLength : MaxTagLength;

    /// <summary>Bytes after each SRTCP packet: the tag and the E/index word.</summary>
    public int RtcpTrailerLength => TagLength + 4;

    /// <summary>The rollover counter of the highest sequence number protected so far.</summary>
    public uint RolloverCounter => _rollover.Rollover;

    /// <summary>SRTCP packets protected so far (the next SRTCP index).</summary>
    public uint SrtcpIndex => _srtcpIndex;

    /// <summary>
    /// Encrypts the RTP packet in <paramref name="buffer"/>[..<paramref name="length"/>] in place
    /// and appends the tag; returns the SRTP length (<paramref name="length"/> + <see cref="TagLength"/>). The buffer
    /// must have room for the tag. A sequence number that goes back (a resend) uses the rollover
    /// counter it had (RFC 3711 §3.3.1 estimate).
    /// </summary>
    public int ProtectRtp(Span<byte> buffer, int length)
    {
        var headerLength = SrtpPacket.RtpHeaderLength(buffer[..length]);
        if (headerLength < 0)
        {
            throw new ArgumentException("Not an RTP packet.", nameof(buffer));
        }

        return ProtectRtp(buffer, headerLength, buffer[headerLength..length]);
    }

    /// <summary>
    /// Protects the RTP packet whose header is <paramref name="buffer"/>[..<paramref name="headerLength"/>]
    /// and whose payload is <paramref name="payload"/>, read where it is (a packet many sessions
    /// share): the payload is encrypted into <paramref name="buffer"/> after the header and the tag
    /// appended; returns the SRTP length. As <see cref="ProtectRtp(Span{byte}, int)"/> otherwise.
    /// </summary>
    public int ProtectRtp(Span<byte> buffer, int headerLength, ReadOnlySpan<byte> payload)
    {
        var length = headerLength + payload.Length;
        if (headerLength < RtpHeaderFixedLength || SrtpPacket.RtpHeaderLength(buffer[..headerLength]) != headerLength)
        {
            throw new ArgumentException("Not an RTP header.", nameof(buffer));
        }

        if (buffer.Length < length + TagLength)
        {
            throw new ArgumentException("No room for the payload and the SRTP tag.", nameof(buffer));
        }

        var sequence = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[8..]);
        var index = _rollover.IndexFor(sequence);
        _rollover.Update(index);
        if (_gcm is not null)
        {
            return _gcm.SealRtp(buffer, headerLength, payload, ssrc, (uint)(index >> 16), sequence);
        }

        // AES-CM's keystream is XORed in place (SrtpCryptoContext): a payload kept elsewhere is copied first.
        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(payload), ref buffer[headerLength]))
        {
            payload.CopyTo(buffer[headerLength..]);
        }

        _crypto!.TransformRtp(buffer[headerLength..length], ssrc, index);
        _crypto.AppendRtpTag(buffer, length, (uint)(index >> 16));
        return length + AuthTagLength;
    }

    /// <summary>
    /// Encrypts the (compound) RTCP packet in <paramref name="buffer"/>[..<paramref name="length"/>]
    /// from byte 8 on, appends E=1 with the SRTCP index and the tag (RFC 3711 §3.4; RFC 7714 §9
    /// puts the tag first); returns length + <see cref="RtcpTrailerLength"/>.
    /// </summary>
    public int ProtectRtcp(Span<byte> buffer, int length)
    {
        if (length < 8 || (buffer[0] >> 6) != 2)
        {
            throw new ArgumentException("Not an RTCP packet.", nameof(buffer));
        }

        if (buffer.Length < length + RtcpTrailerLength)
        {
            throw new ArgumentException("No room for the SRTCP trailer.", nameof(buffer));
        }

        var index = _srtcpIndex;
        _srtcpIndex = (_srtcpIndex + 1) & 0x7FFF_FFFF;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        if (_gcm is not null)
        {
            return _gcm.SealRtcp(buffer, length, ssrc, index);
        }

        _crypto!.TransformRtcp(buffer[8..length], ssrc, index);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], 0x8000_0000u | index);
        _crypto.RtcpTag(buffer[..(length + 4)]).CopyTo(buffer[(length + 4)..]);
        return length + SrtcpTrailerLength;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _crypto?.Dispose();
        _gcm?.Dispose();
    }
}
