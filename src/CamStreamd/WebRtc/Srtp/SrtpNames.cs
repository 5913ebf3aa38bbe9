namespace CamStreamd.WebRtc.Srtp;

/// <summary>The names logs and the API give the SRTP profiles: the crypto-suite names of RFC 4568 and RFC 7714 §14.1, as SDP and browsers' stats show them.</summary>
public static class SrtpNames
{
    /// <summary>"AEAD_AES_128_GCM" or "AES_CM_128_HMAC_SHA1_80".</summary>
    public static string Of(SrtpProfile profile) => profile switch
    {
        SrtpProfile.AeadAes128Gcm => "AEAD_AES_128_GCM",
        SrtpProfile.AesCm128HmacSha1Tag80 => "AES_CM_128_HMAC_SHA1_80",
        _ => profile.ToString(),
    };
}
