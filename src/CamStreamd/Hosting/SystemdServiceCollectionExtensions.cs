using Microsoft.Extensions.DependencyInjection;

namespace CamStreamd.Hosting;

/// <summary>Registers the systemd integration (notify, watchdog) and the SIGHUP reload.</summary>
public static class SystemdServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SystemdService"/> (notify socket from the environment) and <see cref="ConfigReloader"/>
    /// reading <paramref name="source"/> and driving <paramref name="levels"/>. Call after
    /// <see cref="DaemonServices.AddCamStreamdServices"/>: the notifier starts last (READY=1 after the
    /// listeners and streams) and stops first (STOPPING=1 at once).
    /// </summary>
    public static IServiceCollection AddSystemdAndReload(this IServiceCollection services, ReloadSource source, LogLevelSwitches levels, SystemdNotifier? notifier = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(levels);
        services.AddSingleton(notifier ?? SystemdNotifier.FromEnvironment());
        services.AddSingleton(source);
        services.AddSingleton(levels);
        services.AddSingleton<IDaemonStatus, SupervisorStatus>();
        services.AddSingleton<SystemdService>();
        services.AddSingleton<ConfigReloader>();
        services.AddHostedService(provider => provider.GetRequiredService<SystemdService>());
        services.AddHostedService(provider => provider.GetRequiredService<ConfigReloader>());
        return services;
    }
}
