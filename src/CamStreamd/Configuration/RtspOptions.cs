namespace CamStreamd.Configuration;

/// <summary><c>rtsp</c>: the RTSP server (RFC 2326). Defaults are the constructor's (see <see cref="CamStreamdOptions"/>).</summary>
/// <param name="ListenAddress"><c>rtsp.listenAddress</c>: IP address to bind; <c>0.0.0.0</c> is every IPv4 interface.</param>
/// <param name="Port"><c>rtsp.port</c>: TCP port, 0..65535; 0 picks a free port (tests).</param>
/// <param name="MaxFrameLength">
/// <c>rtsp.maxFrameLength</c>: largest access unit in bytes that is sent; larger ones are dropped and
/// counted. 0 means width*height of the stream (the ESP32-P4 module's ceiling).
/// </param>
/// <param name="SessionTimeoutSeconds"><c>rtsp.sessionTimeoutSeconds</c>: idle session timeout, 5..3600 (RFC 2326 12.37).</param>
/// <param name="Multicast"><c>rtsp.multicast</c>.</param>
/// <param name="Auth"><c>rtsp.auth</c>.</param>
/// <param name="MaxConnections">
/// <c>rtsp.maxConnections</c>: most simultaneous RTSP connections, 1..10000; at the limit a newcomer
/// evicts a connection that holds no session and is not being served, else it gets 503.
/// </param>
/// <param name="MaxConnectionsPerAddress">
/// <c>rtsp.maxConnectionsPerAddress</c>: most connections from one address (IPv6: one /64),
/// 0..maxConnections; 0 means a quarter of maxConnections.
/// </param>
public sealed record RtspOptions(
    string ListenAddress = "0.0.0.0",
    int Port = 8554,
    int MaxFrameLength = 0,
    int SessionTimeoutSeconds = 60,
    MulticastOptions? Multicast = null,
    RtspAuthOptions? Auth = null,
    int MaxConnections = 256,
    int MaxConnectionsPerAddress = 0)
{
    /// <summary><c>rtsp.multicast</c>.</summary>
    public MulticastOptions Multicast { get; init; } = Multicast ?? new();

    /// <summary><c>rtsp.auth</c>.</summary>
    public RtspAuthOptions Auth { get; init; } = Auth ?? new();

    /// <summary>The frame length limit for <paramref name="stream"/>: <see cref="MaxFrameLength"/>, or width*height when it is 0.</summary>
    public int EffectiveMaxFrameLength(StreamOptions stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return MaxFrameLength > 0 ? MaxFrameLength : stream.Source.Width * stream.Source.Height;
    }
}
