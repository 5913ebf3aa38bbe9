using System.Reflection;

namespace CamStreamd.Configuration;

/// <summary>What build is running: reported by <c>--version</c>, the startup log, the health API and the metrics.</summary>
public static class BuildInfo
{
    /// <summary>The informational version of the daemon (e.g. <c>0.1.0+abc123</c>).</summary>
    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
