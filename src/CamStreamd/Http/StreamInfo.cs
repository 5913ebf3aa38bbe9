using CamStreamd.Media;

namespace CamStreamd.Http;

/// <summary>One stream as <c>GET /api/streams/{name}</c> reports it.</summary>
/// <param name="Name">The stream's name (its URL path segment).</param>
/// <param name="State">Where the pipeline is (<c>running</c>, <c>failed</c>, <c>stopped</c>, ...).</param>
/// <param name="Source">The configured source.</param>
/// <param name="Encoder">The configured engine and the one running now.</param>
/// <param name="Configured">Size, rate and bitrate from the configuration.</param>
/// <param name="Measured">Rates measured over the last seconds.</param>
/// <param name="Frames">Running totals.</param>
/// <param name="Drops">Frames dropped, by reason (camelCase <see cref="Media.DropReason"/> names).</param>
/// <param name="Clients">Viewers watching now, by protocol (camelCase <see cref="Media.ViewerProtocol"/> names).</param>
/// <param name="Mjpeg">The shared MJPEG producer.</param>
/// <param name="LastFrameAt">When the last frame was captured (UTC), or null before the first.</param>
/// <param name="StartedAt">When the pipeline was last started, or null while stopped.</param>
/// <param name="UptimeSeconds">Seconds since <paramref name="StartedAt"/>, or 0 while stopped.</param>
/// <param name="Urls">Where to watch it.</param>
/// <param name="Upstream">The upstream connection of a pulled stream (<c>source.type</c> <c>rtsp</c>); omitted for other sources.</param>
/// <param name="Inputs">The inputs of a composite stream (<c>source.type</c> <c>composite</c>), in tile order; omitted for other sources.</param>
/// <param name="Publish">The stream's publish targets (<c>streams[].publish</c>); omitted for a stream without any.</param>
/// <param name="Recording">The stream's recorder (<c>streams[].record</c>); omitted for a stream not recorded.</param>
public sealed record StreamInfo(
    string Name,
    StreamState State,
    SourceInfo Source,
    EncoderInfo Encoder,
    VideoSettingsInfo Configured,
    MeasuredInfo Measured,
    FrameTotalsInfo Frames,
    IReadOnlyDictionary<string, long> Drops,
    IReadOnlyDictionary<string, int> Clients,
    MjpegInfo Mjpeg,
    DateTimeOffset? LastFrameAt,
    DateTimeOffset? StartedAt,
    double UptimeSeconds,
    StreamUrls Urls,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] UpstreamInfo? Upstream = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<CompositeInputInfo>? Inputs = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<PublishTargetInfo>? Publish = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] RecordingInfo? Recording = null);
