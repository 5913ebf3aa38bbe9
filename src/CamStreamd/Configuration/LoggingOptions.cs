namespace CamStreamd.Configuration;

/// <summary><c>logging</c>.</summary>
public sealed record LoggingOptions
{
    /// <summary><c>logging.level</c>: Verbose, Debug, Information, Warning, Error or Fatal (any case).</summary>
    public string Level { get; init; } = "Information";
}
