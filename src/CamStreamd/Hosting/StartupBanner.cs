using CamStreamd.Media;
using CamStreamd.Rtsp;
using CamStreamd.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Hosting;

/// <summary>
/// Logs the URL of every stream once the RTSP server is bound, so a user who just ran
/// <c>./build.sh run</c> or looks at <c>journalctl</c> knows what to open.
/// </summary>
public sealed partial class StartupBanner : IHostedService
{
    private readonly RtspHostedService _rtsp;
    private readonly StreamHubRegistry _registry;
    private readonly ILogger<StartupBanner> _logger;

    /// <summary>Creates the banner; it runs after the RTSP service has started.</summary>
    public StartupBanner(RtspHostedService rtsp, StreamHubRegistry registry, ILogger<StartupBanner> logger)
    {
        _rtsp = rtsp;
        _registry = registry;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_rtsp.Server is not { } server)
        {
            return Task.CompletedTask;
        }

        var endPoint = server.LocalEndPoint;
        foreach (var name in _registry.Names.Order(StringComparer.Ordinal))
        {
            foreach (var host in ListenHosts.For(endPoint.Address))
            {
                LogStreamUrl(name, $"rtsp://{host}:{endPoint.Port}/{name}");
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "Stream {Stream}: {Url}")]
    private partial void LogStreamUrl(string stream, string url);
}
