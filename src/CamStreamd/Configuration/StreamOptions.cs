using System.Text.Json.Serialization;

namespace CamStreamd.Configuration;

/// <summary><c>streams[i]</c>: one stream, served at <c>rtsp://HOST:PORT/{name}</c>.</summary>
/// <param name="Name"><c>name</c>: required, 1..64 of <c>[A-Za-z0-9_-]</c> (it is a URL path segment), unique ignoring case.</param>
/// <param name="Source"><c>source</c>: where frames come from (its <c>type</c> is required).</param>
/// <param name="Encoder"><c>encoder</c>: how frames become H.264.</param>
/// <param name="Publish"><c>publish</c>: upstream servers the stream is pushed to (none by default).</param>
/// <param name="Record"><c>record</c>: local recording in MP4 segments, or null (the default) for none.</param>
public sealed record StreamOptions(
    string Name = "",
    SourceOptions? Source = null,
    EncoderOptions? Encoder = null,
    PublishTargetList? Publish = null,
    RecordOptions? Record = null)
{
    /// <summary><c>source</c>: where frames come from (its <c>type</c> is required).</summary>
    public SourceOptions Source { get; init; } = Source ?? new();

    /// <summary><c>encoder</c>: how frames become H.264.</summary>
    public EncoderOptions Encoder { get; init; } = Encoder ?? new();

    /// <summary><c>publish</c>: upstream servers the stream is pushed to, or null for none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PublishTargetList? Publish { get; init; } = Publish;

    /// <summary><c>record</c>: local recording, or null for none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RecordOptions? Record { get; init; } = Record;
}
