using CamStreamd.Media;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>Runs the <see cref="RtspServer"/> with the host: binds on start, tears down on stop.</summary>
public sealed class RtspHostedService : IHostedService, IAsyncDisposable
{
    private readonly RtspServerOptions _options;
    private readonly StreamHubRegistry _registry;
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates the service; nothing is bound until <see cref="StartAsync"/>.</summary>
    public RtspHostedService(RtspServerOptions options, StreamHubRegistry registry, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _registry = registry;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The running server, after <see cref="StartAsync"/>.</summary>
    public RtspServer? Server { get; private set; }

    /// <summary>Binds the listening socket and starts accepting. A <see cref="System.Net.Sockets.SocketException"/> propagates (the host exits 69).</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var server = new RtspServer(_options, _registry, _loggerFactory);
        server.Start();
        Server = server;
        return Task.CompletedTask;
    }

    /// <summary>Closes every connection and session, within 5 s.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Server is { } server)
        {
            await server.StopAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Server is { } server)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            Server = null;
        }
    }
}
