using System.Net;

namespace CamStreamd.Rtsp;

/// <summary>Settings of the RTSP server (kept apart from its runtime state).</summary>
public sealed record RtspServerOptions
{
    /// <summary>Address to listen on (0.0.0.0 for every IPv4 interface).</summary>
    public IPAddress ListenAddress { get; init; } = IPAddress.Any;

    /// <summary>TCP port; 0 picks any free port (see <see cref="RtspServer.LocalEndPoint"/>).</summary>
    public int Port { get; init; } = 8554;

    /// <summary>A UDP session with no keepalive (RTSP request or RTCP) for this long is ended (RFC 2326 §12.37 timeout).</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The default of <see cref="MaxConnections"/> (config <c>rtsp.maxConnections</c>).</summary>
    public const int DefaultMaxConnections = 256;

    /// <summary>Most simultaneous RTSP connections; at the limit a newcomer evicts one that holds nothing, else it is answered 503 and closed.</summary>
    public int MaxConnections { get; init; } = DefaultMaxConnections;

    /// <summary>
    /// Most connections from one address (IPv6: one /64); 0 means a quarter of <see cref="MaxConnections"/>.
    /// A newcomer from an address at its share evicts that address's own idle connections, or is refused.
    /// </summary>
    public int MaxConnectionsPerAddress { get; init; }

    /// <summary>
    /// The first-request timeout under pressure (the table ¾ full), and for connections being refused:
    /// a real client sends OPTIONS or DESCRIBE within milliseconds of connecting.
    /// </summary>
    public TimeSpan PressureFirstRequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A connection that has not sent one complete request this long after connecting is closed.</summary>
    public TimeSpan FirstRequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After the first request, a request or interleaved frame whose first bytes arrived must be
    /// complete this long after (a <c>$</c> header promising 65,535 bytes that never come, a
    /// header block trickled forever); otherwise the connection is closed.
    /// </summary>
    public TimeSpan PartialMessageTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Time between RTCP sender reports of a playing session (RFC 3550 §6.2; the first follows the first frame).</summary>
    public TimeSpan RtcpInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Frames over a stream's maxFrameLength are logged at most once per this interval, with their count.</summary>
    public TimeSpan OversizeLogInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A TCP write that makes no progress for this long disconnects the client.</summary>
    public TimeSpan SendStallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long DESCRIBE waits for a stream's SPS/PPS before answering 503.</summary>
    public TimeSpan DescribeWaitTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long PLAY waits for the first access unit to fill RTP-Info.</summary>
    public TimeSpan PlayWaitTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Kernel send buffer per RTSP connection in bytes, or null for the OS default (smaller means a stalled viewer is noticed sooner).</summary>
    public int? SocketSendBufferSize { get; init; }

    /// <summary>Client authentication (none by default).</summary>
    public RtspAuthSettings Auth { get; init; } = RtspAuthSettings.None;

    /// <summary>Multicast delivery, or null when disabled (SETUP with <c>multicast</c> then gets 461).</summary>
    public RtspMulticastSettings? Multicast { get; init; }

    /// <summary>The Server header value.</summary>
    public string ServerName { get; init; } = "camstreamd";
}
