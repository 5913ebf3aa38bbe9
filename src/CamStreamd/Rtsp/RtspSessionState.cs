namespace CamStreamd.Rtsp;

/// <summary>Server session states (RFC 2326 Appendix A.2).</summary>
public enum RtspSessionState
{
    /// <summary>Created, no transport yet.</summary>
    Init,

    /// <summary>Set up, not sending.</summary>
    Ready,

    /// <summary>Sending RTP.</summary>
    Playing,
}
