namespace CamStreamd.Configuration;

/// <summary><c>logging</c>.</summary>
/// <param name="Level"><c>logging.level</c>: Verbose, Debug, Information, Warning, Error or Fatal (any case).</param>
public sealed record LoggingOptions(string Level = "Information");
