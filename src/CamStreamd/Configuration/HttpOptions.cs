namespace CamStreamd.Configuration;

/// <summary><c>http</c>: the HTTP server (web page, API, MJPEG, metrics).</summary>
/// <param name="ListenAddress"><c>http.listenAddress</c>: IP address to bind.</param>
/// <param name="Port"><c>http.port</c>: TCP port, 0..65535; 0 picks a free port (tests).</param>
/// <param name="ApiToken"><c>http.apiToken</c>: bearer token the API's changing calls require; null leaves the API open.</param>
/// <param name="Mjpeg"><c>http.mjpeg</c>: rate and quality of the MJPEG streams and snapshots.</param>
/// <param name="MaxConnections">
/// <c>http.maxConnections</c>: most simultaneous HTTP connections, 2..10000; at the limit a newcomer
/// evicts a connection with no request in progress, else it is closed.
/// </param>
/// <param name="MaxConnectionsPerAddress"><c>http.maxConnectionsPerAddress</c>: most HTTP connections from one address, 0..maxConnections; 0 means a quarter.</param>
/// <param name="MaxMjpegViewers">
/// <c>http.maxMjpegViewers</c>: most MJPEG viewers at once, fewer than maxConnections (the rest stays for
/// the API, metrics and snapshots); one address gets at most a quarter. More get 503.
/// </param>
public sealed record HttpOptions(
    string ListenAddress = "0.0.0.0",
    int Port = 8080,
    string? ApiToken = null,
    MjpegOptions? Mjpeg = null,
    int MaxConnections = 256,
    int MaxConnectionsPerAddress = 0,
    int MaxMjpegViewers = 64)
{
    /// <summary><c>http.mjpeg</c>: rate and quality of the MJPEG streams and snapshots.</summary>
    public MjpegOptions Mjpeg { get; init; } = Mjpeg ?? new();
}
