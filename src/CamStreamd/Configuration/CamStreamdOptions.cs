namespace CamStreamd.Configuration;

/// <summary>
/// The whole configuration (<c>/etc/camstreamd.json</c>), immutable. Keys are the camelCase names of
/// these properties; unknown keys are rejected. Load through <see cref="ConfigLoader"/>, which also validates.
/// </summary>
public sealed record CamStreamdOptions
{
    /// <summary><c>rtsp</c>: the RTSP server.</summary>
    public RtspOptions Rtsp { get; init; } = new();

    /// <summary><c>http</c>: the HTTP server (API, MJPEG, metrics).</summary>
    public HttpOptions Http { get; init; } = new();

    /// <summary><c>streams</c>: at least one; names are unique.</summary>
    public IReadOnlyList<StreamOptions> Streams { get; init; } = [];

    /// <summary><c>gpio</c>: board lines the daemon drives.</summary>
    public GpioOptions Gpio { get; init; } = new();

    /// <summary><c>logging</c>: log level.</summary>
    public LoggingOptions Logging { get; init; } = new();
}
