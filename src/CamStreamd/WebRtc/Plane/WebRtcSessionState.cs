namespace CamStreamd.WebRtc.Plane;

/// <summary>Where a WebRTC session stands.</summary>
public enum WebRtcSessionState
{
    /// <summary>Answered; waiting for the browser's first valid ICE check.</summary>
    New,

    /// <summary>ICE checks pass; the DTLS handshake runs.</summary>
    Connecting,

    /// <summary>DTLS done, SRTP keys in place, media flowing.</summary>
    Playing,

    /// <summary>Ended (DELETE, consent expired, never connected, DTLS failed, stream gone, shutdown).</summary>
    Closed,
}
