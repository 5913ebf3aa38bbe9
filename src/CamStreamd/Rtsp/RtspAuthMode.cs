namespace CamStreamd.Rtsp;

/// <summary>How RTSP clients must authenticate (<c>rtsp.auth.mode</c>).</summary>
public enum RtspAuthMode
{
    /// <summary>Every client is served without credentials.</summary>
    None,

    /// <summary>HTTP Basic (RFC 7617): the password travels base64-encoded; use on trusted networks only.</summary>
    Basic,

    /// <summary>HTTP Digest with MD5 (RFC 2617/7616): the password never travels.</summary>
    Digest,
}
