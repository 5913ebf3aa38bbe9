namespace CamStreamd.Rtsp.Protocol;

/// <summary>What a server makes of a nonce a client echoes back.</summary>
public enum DigestNonceValidity
{
    /// <summary>Issued by this server (for this client) and not yet expired.</summary>
    Valid,

    /// <summary>Issued by this server but expired: challenge again with <c>stale=true</c> (RFC 2617 §3.2.1).</summary>
    Stale,

    /// <summary>Not one of ours (forged, from another server run, or for another client address).</summary>
    Invalid,
}
