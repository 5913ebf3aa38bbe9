namespace CamStreamd.Rtsp;

/// <summary>What a transport tells its session about packets from the client.</summary>
internal interface IRtcpReceiver
{
    /// <summary>Something arrived from the client (a keepalive for UDP sessions, RFC 2326 §12.37).</summary>
    void Touch();

    /// <summary>A compound RTCP packet arrived from the client (UDP RTCP port or the odd interleaved channel).</summary>
    void OnRtcp(ReadOnlySpan<byte> compound);
}
