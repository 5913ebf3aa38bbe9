namespace CamStreamd.Configuration;

/// <summary>A validated configuration and what it asks for that is not supported yet.</summary>
/// <param name="Options">The validated options.</param>
/// <param name="Notices">Settings accepted but not supported yet (warn at start).</param>
/// <param name="Source">The file read, or <see cref="ConfigLoader.EmbeddedDefaultSource"/>.</param>
public sealed record ConfigLoadResult(CamStreamdOptions Options, IReadOnlyList<ConfigNotice> Notices, string Source);
