namespace CamStreamd.Rtsp.Protocol;

/// <summary>How RTP travels for a session (RFC 2326 §12.39 lower-transport).</summary>
public enum RtspLowerTransport
{
    /// <summary>RTP/AVP or RTP/AVP/UDP: datagrams to the client's ports.</summary>
    Udp,

    /// <summary>RTP/AVP/TCP: interleaved in the RTSP connection (RFC 2326 §10.12).</summary>
    Tcp,
}
