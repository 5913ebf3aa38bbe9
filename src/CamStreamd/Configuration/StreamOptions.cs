namespace CamStreamd.Configuration;

/// <summary><c>streams[i]</c>: one stream, served at <c>rtsp://HOST:PORT/{name}</c>.</summary>
public sealed record StreamOptions
{
    /// <summary><c>name</c>: required, 1..64 of <c>[A-Za-z0-9_-]</c> (it is a URL path segment), unique ignoring case.</summary>
    public string Name { get; init; } = "";

    /// <summary><c>source</c>: where frames come from.</summary>
    public SourceOptions Source { get; init; } = new();

    /// <summary><c>encoder</c>: how frames become H.264.</summary>
    public EncoderOptions Encoder { get; init; } = new();
}
