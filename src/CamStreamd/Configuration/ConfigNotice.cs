namespace CamStreamd.Configuration;

/// <summary>A valid setting that is not supported yet; logged as a warning at start.</summary>
/// <param name="Key">Full key path, e.g. <c>streams[0].encoder.engine</c>.</param>
/// <param name="Message">What happens instead.</param>
public sealed record ConfigNotice(string Key, string Message)
{
    /// <summary><c>key: message</c>.</summary>
    public override string ToString() => $"{Key}: {Message}";
}
