namespace CamStreamd.Configuration;

/// <summary><c>streams[i]</c>: one stream, served at <c>rtsp://HOST:PORT/{name}</c>.</summary>
/// <param name="Name"><c>name</c>: required, 1..64 of <c>[A-Za-z0-9_-]</c> (it is a URL path segment), unique ignoring case.</param>
/// <param name="Source"><c>source</c>: where frames come from (its <c>type</c> is required).</param>
/// <param name="Encoder"><c>encoder</c>: how frames become H.264.</param>
public sealed record StreamOptions(string Name = "", SourceOptions? Source = null, EncoderOptions? Encoder = null)
{
    /// <summary><c>source</c>: where frames come from (its <c>type</c> is required).</summary>
    public SourceOptions Source { get; init; } = Source ?? new();

    /// <summary><c>encoder</c>: how frames become H.264.</summary>
    public EncoderOptions Encoder { get; init; } = Encoder ?? new();
}
