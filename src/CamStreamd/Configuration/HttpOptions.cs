namespace CamStreamd.Configuration;

/// <summary><c>http</c>: the HTTP server (web page, API, MJPEG, metrics).</summary>
public sealed record HttpOptions
{
    /// <summary><c>http.listenAddress</c>: IP address to bind.</summary>
    public string ListenAddress { get; init; } = "0.0.0.0";

    /// <summary><c>http.port</c>: TCP port, 0..65535; 0 picks a free port (tests).</summary>
    public int Port { get; init; } = 8080;

    /// <summary><c>http.apiToken</c>: bearer token the API requires; null leaves the API open.</summary>
    public string? ApiToken { get; init; }
}
