namespace CamStreamd.WebRtc.Srtp;

/// <summary>
/// The DTLS-SRTP protection profiles we speak, by their use_srtp numbers (RFC 5764 §4.1.2,
/// RFC 7714 §14.2). Browsers offer both; we choose GCM: one AES pass that also authenticates,
/// where the other profile adds an HMAC-SHA1 over every packet.
/// </summary>
public enum SrtpProfile
{
    /// <summary>SRTP_AES128_CM_HMAC_SHA1_80: AES-CM, 14-byte salts, 10-byte HMAC-SHA1 tag (RFC 3711).</summary>
    AesCm128HmacSha1Tag80 = 0x0001,

    /// <summary>SRTP_AEAD_AES_128_GCM: AES-GCM, 12-byte salts, 16-byte tag (RFC 7714).</summary>
    AeadAes128Gcm = 0x0007,
}
