namespace CamStreamd.WebRtc.Plane;

/// <summary>What became of a WHEP offer.</summary>
public enum WhepOfferStatus
{
    /// <summary>Answered: a session exists (201).</summary>
    Created,

    /// <summary>The offer cannot be parsed or has no H.264 video we can send (400, the reason says why).</summary>
    BadOffer,

    /// <summary>The stream has no picture yet, so its profile is unknown (503, retry).</summary>
    NoPicture,

    /// <summary>webrtc.maxSessions (or the address's share) is reached (503).</summary>
    Full,

    /// <summary>The UDP port is not bound (503).</summary>
    Unavailable,
}
