using System.Net;
using CamStreamd.Configuration;
using CamStreamd.Gpio;
using CamStreamd.Http;
using CamStreamd.Media;
using CamStreamd.Rtsp;
using CamStreamd.WebRtc.Plane;
using CamStreamd.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CamStreamd.Hosting;

/// <summary>The daemon's services, registered in one place so tests can build the same container.</summary>
public static class DaemonServices
{
    /// <summary>
    /// Registers the validated <paramref name="options"/> (as <see cref="CamStreamdOptions"/> and
    /// <see cref="RtspOptions"/>) and the daemon's services. Hosted services start in the order
    /// registered (the GPIO PHY reset pulses first, RTSP binds next, so a taken port fails the start before any camera or encoder
    /// opens; the streams start next, then the banner logs their URLs) and stop in reverse
    /// (streams stop first, then RTSP tears its sessions down).
    /// </summary>
    public static IServiceCollection AddCamStreamdServices(this IServiceCollection services, CamStreamdOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(options);
        services.AddSingleton(options.Rtsp);
        services.AddSingleton<StreamHubRegistry>();
        services.AddSingleton<AccessUnitPool>(_ => new AccessUnitPool());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<StreamFactory>();
        services.AddSingleton<StreamSupervisor>();
        services.AddSingleton(ToServerOptions(options.Rtsp));

        services.AddSingleton<GpioLines>();

        // First: the PHY must be out of reset before a listener binds.
        services.AddHostedService<PhyResetService>();
        services.AddSingleton<RtspHostedService>();
        services.AddHostedService(provider => provider.GetRequiredService<RtspHostedService>());
        services.AddSingleton<WebRtcHostedService>();
        services.AddHostedService(provider => provider.GetRequiredService<WebRtcHostedService>());
        services.AddSingleton<HttpHostedService>();
        services.AddHostedService(provider => provider.GetRequiredService<HttpHostedService>());
        services.AddHostedService(provider => provider.GetRequiredService<StreamSupervisor>());

        // After the streams: it starts blinking while they start, and goes dark first when stopping.
        services.AddHostedService<StatusLedService>();
        services.AddHostedService<StartupBanner>();
        return services;
    }

    /// <summary>The RTSP server's settings from the <c>rtsp</c> section.</summary>
    public static RtspServerOptions ToServerOptions(RtspOptions rtsp)
    {
        ArgumentNullException.ThrowIfNull(rtsp);
        return new RtspServerOptions
        {
            ListenAddress = IPAddress.Parse(rtsp.ListenAddress),
            Port = rtsp.Port,
            SessionTimeout = TimeSpan.FromSeconds(rtsp.SessionTimeoutSeconds),
            MaxConnections = rtsp.MaxConnections,
            MaxConnectionsPerAddress = rtsp.MaxConnectionsPerAddress,
            Auth = RtspSettingsMapper.ToAuthSettings(rtsp.Auth),
            Multicast = RtspSettingsMapper.ToMulticastSettings(rtsp.Multicast),
        };
    }
}
