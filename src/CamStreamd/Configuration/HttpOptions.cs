namespace CamStreamd.Configuration;

/// <summary><c>http</c>: the HTTP server (web page, API, MJPEG, metrics).</summary>
/// <param name="ListenAddress"><c>http.listenAddress</c>: IP address to bind.</param>
/// <param name="Port"><c>http.port</c>: TCP port, 0..65535; 0 picks a free port (tests).</param>
/// <param name="ApiToken"><c>http.apiToken</c>: bearer token the API's changing calls require; null leaves the API open.</param>
/// <param name="Mjpeg"><c>http.mjpeg</c>: rate and quality of the MJPEG streams and snapshots.</param>
public sealed record HttpOptions(string ListenAddress = "0.0.0.0", int Port = 8080, string? ApiToken = null, MjpegOptions? Mjpeg = null)
{
    /// <summary><c>http.mjpeg</c>: rate and quality of the MJPEG streams and snapshots.</summary>
    public MjpegOptions Mjpeg { get; init; } = Mjpeg ?? new();
}
