namespace CamStreamd.WebRtc.Srtp;

/// <summary>Outcome of unprotecting an SRTP or SRTCP packet.</summary>
public enum SrtpResult
{
    /// <summary>Authentic and new; the packet now holds the plaintext.</summary>
    Ok,

    /// <summary>Shorter than a header plus the trailer and tag.</summary>
    TooShort,

    /// <summary>Not an RTP/RTCP version 2 header.</summary>
    BadHeader,

    /// <summary>The authentication tag does not match (wrong keys, corruption, forgery).</summary>
    AuthenticationFailed,

    /// <summary>An index already received (replay window, RFC 3711 §3.3.2).</summary>
    Replayed,

    /// <summary>An index older than the replay window covers.</summary>
    TooOld,
}
