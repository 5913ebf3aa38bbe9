namespace CamStreamd.Http;

/// <summary>One input of a composite stream (<c>inputs[]</c> in the stream's JSON; absent for other sources).</summary>
/// <param name="Name">The input's name (its tile's label).</param>
/// <param name="Kind"><c>url</c> (a pulled camera) or <c>stream</c> (a stream of this daemon).</param>
/// <param name="Source">The camera's URL (password masked) or the stream's name.</param>
/// <param name="State"><c>waiting</c> (no picture yet), <c>live</c>, <c>holding</c> (the last picture, for up to holdSeconds) or <c>noSignal</c>.</param>
/// <param name="MeasuredFps">Pictures per second received over the last second.</param>
/// <param name="LastPictureAgeSeconds">Seconds since the last picture, or null before the first.</param>
/// <param name="Decoder"><c>rkmpp</c>, <c>v4l2m2m</c>, <c>software</c>; <c>none</c> for raw frames; null before the first.</param>
/// <param name="Pictures">Pictures received.</param>
/// <param name="Failures">Decode, copy and scale failures.</param>
/// <param name="LastError">The last failure, or null.</param>
/// <param name="Upstream">The pull session of a url input; omitted for stream inputs.</param>
public sealed record CompositeInputInfo(
    string Name,
    string Kind,
    string Source,
    string State,
    double MeasuredFps,
    double? LastPictureAgeSeconds,
    string? Decoder,
    long Pictures,
    long Failures,
    string? LastError,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] UpstreamInfo? Upstream);
