using CamStreamd.Configuration;

namespace CamStreamd.Hosting;

/// <summary>Where a reload reads the configuration: the <c>--config</c> path, or null for the default file (or the embedded default).</summary>
/// <param name="Path">The <c>--config</c> value.</param>
public sealed record ReloadSource(string? Path)
{
    /// <summary>The file a reload reads, for logs.</summary>
    public string Describe() => Path ?? $"{ConfigLoader.DefaultPath} (or the embedded default when it does not exist)";
}
