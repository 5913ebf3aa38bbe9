using CamStreamd.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Hosting;

/// <summary><c>camstreamd [--config PATH]</c>: load the configuration, run the host until SIGTERM or SIGINT.</summary>
public static class DaemonHost
{
    /// <summary>
    /// Longest graceful stop (sessions torn down, cameras and encoders released): SIGTERM to exit
    /// stays under 5 s, far inside systemd's TimeoutStopSec.
    /// </summary>
    public static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Runs the daemon; returns <see cref="ExitCodes.Ok"/> after a normal stop, <see cref="ExitCodes.Config"/>
    /// for a bad configuration (errors on stderr), <see cref="ExitCodes.Unavailable"/> when a port or
    /// device cannot be had at start. Stops when <paramref name="cancellationToken"/> is cancelled or on SIGTERM/SIGINT.
    /// </summary>
    public static async Task<int> RunAsync(string? configPath, CancellationToken cancellationToken)
    {
        ConfigLoadResult config;
        try
        {
            config = ConfigLoader.Load(configPath);
        }
        catch (ConfigException e)
        {
            ConfigCheck.WriteErrors(e, Console.Error);
            return ExitCodes.Config;
        }

        // No appsettings.json, environment variables or command line: /etc/camstreamd.json is the only configuration.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = "camstreamd",
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });
        var levels = new LogLevelSwitches(config.Options.Logging.Level);
        builder.Logging.ClearProviders();
        LoggingSetup.UseSerilog(builder.Services, LoggingSetup.CreateLogger(config.Options.Logging, levels: levels, journal: JournalOutput.IsJournal()));
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddCamStreamdServices(config.Options);
        builder.Services.AddSystemdAndReload(new ReloadSource(configPath), levels);

        // Disposing the host disposes the Serilog provider, which flushes the logger.
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DaemonHost).FullName!);
        HostingLog.Starting(logger, BuildInfo.Version, config.Source, string.Join(", ", config.Options.Streams.Select(s => s.Name)));
        foreach (var notice in config.Notices)
        {
            HostingLog.ConfigNotice(logger, notice.Key, notice.Message);
        }

        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
            HostingLog.Started(logger);
            await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (StartupFailure.IsUnavailable(e, out var reason))
        {
            HostingLog.Unavailable(logger, reason, e);
            return ExitCodes.Unavailable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped while starting: a normal stop.
        }
        catch (Exception e)
        {
            HostingLog.Failed(logger, e);
            return ExitCodes.Software;
        }

        HostingLog.Stopped(logger);
        return ExitCodes.Ok;
    }
}
