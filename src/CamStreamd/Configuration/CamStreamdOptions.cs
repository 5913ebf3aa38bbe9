namespace CamStreamd.Configuration;

/// <summary>
/// The whole configuration (<c>/etc/camstreamd.json</c>), immutable. Keys are the camelCase names of
/// these properties; unknown keys are rejected. Load through <see cref="ConfigLoader"/>, which also validates.
/// </summary>
/// <remarks>
/// Defaults live in the primary constructor because the source-generated deserializer builds records
/// through it: a key missing from the JSON takes the parameter's default (init-only property
/// initializers alone would be skipped). A null or missing section is the default section.
/// </remarks>
/// <param name="Rtsp"><c>rtsp</c>: the RTSP server.</param>
/// <param name="Http"><c>http</c>: the HTTP server (API, MJPEG, metrics).</param>
/// <param name="Streams"><c>streams</c>: at least one; names are unique.</param>
/// <param name="Gpio"><c>gpio</c>: board lines the daemon drives.</param>
/// <param name="Logging"><c>logging</c>: log level.</param>
/// <param name="WebRtc"><c>webrtc</c>: WHEP playback in browsers.</param>
public sealed record CamStreamdOptions(
    RtspOptions? Rtsp = null,
    HttpOptions? Http = null,
    IReadOnlyList<StreamOptions>? Streams = null,
    GpioOptions? Gpio = null,
    LoggingOptions? Logging = null,
    WebRtcOptions? WebRtc = null)
{
    /// <summary><c>rtsp</c>: the RTSP server.</summary>
    public RtspOptions Rtsp { get; init; } = Rtsp ?? new();

    /// <summary><c>http</c>: the HTTP server (API, MJPEG, metrics).</summary>
    public HttpOptions Http { get; init; } = Http ?? new();

    /// <summary><c>streams</c>: at least one; names are unique.</summary>
    public IReadOnlyList<StreamOptions> Streams { get; init; } = Streams ?? [];

    /// <summary><c>gpio</c>: board lines the daemon drives.</summary>
    public GpioOptions Gpio { get; init; } = Gpio ?? new();

    /// <summary><c>logging</c>: log level.</summary>
    public LoggingOptions Logging { get; init; } = Logging ?? new();

    /// <summary><c>webrtc</c>: WHEP playback in browsers.</summary>
    [System.Text.Json.Serialization.JsonPropertyName("webrtc")]
    public WebRtcOptions WebRtc { get; init; } = WebRtc ?? new();
}
