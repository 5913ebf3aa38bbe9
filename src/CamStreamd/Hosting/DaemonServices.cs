using CamStreamd.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CamStreamd.Hosting;

/// <summary>The daemon's services, registered in one place so tests can build the same container.</summary>
public static class DaemonServices
{
    /// <summary>
    /// Registers the validated <paramref name="options"/> (as <see cref="CamStreamdOptions"/> and
    /// <see cref="RtspOptions"/>) and the daemon's services.
    /// </summary>
    public static IServiceCollection AddCamStreamdServices(this IServiceCollection services, CamStreamdOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(options.Rtsp);
        return services;
    }
}
