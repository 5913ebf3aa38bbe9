namespace CamStreamd.Rtsp.Client;

/// <summary>What one pull needs: the upstream URL, the transport, and credentials (config ones win over the URL's).</summary>
/// <param name="Url">The <c>rtsp://</c> URL (may carry <c>user:password@</c>).</param>
/// <param name="Transport"><c>tcp</c> (interleaved, the default) or <c>udp</c>.</param>
/// <param name="Username">User name, or null to use the URL's.</param>
/// <param name="Password">Password, or null to use the URL's.</param>
/// <param name="MaxAccessUnitSize">Largest access unit reassembled, bytes.</param>
public sealed record RtspPullOptions(string Url, string Transport = "tcp", string? Username = null, string? Password = null, int MaxAccessUnitSize = 4 * 1024 * 1024)
{
    /// <summary>Longest wait for the TCP connection.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A session that delivers no RTP for this long is ended (and reconnected by the caller).</summary>
    public TimeSpan MediaTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Interval of our RTCP receiver reports (RFC 3550 §6.2's 5 s minimum).</summary>
    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>True for UDP.</summary>
    public bool UseUdp => string.Equals(Transport, "udp", StringComparison.OrdinalIgnoreCase);
}
