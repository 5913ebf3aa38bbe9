using CamStreamd.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamStreamd.WebRtc.Plane;

/// <summary>Runs the <see cref="WebRtcPlane"/> with the host when <c>webrtc.enabled</c>; started before the HTTP server that serves WHEP.</summary>
public sealed class WebRtcHostedService : IHostedService, IAsyncDisposable
{
    /// <summary>Creates the service (and the plane when enabled; nothing is bound until start).</summary>
    public WebRtcHostedService(CamStreamdOptions options, TimeProvider time, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.WebRtc;
        Plane = options.WebRtc.Enabled ? new WebRtcPlane(options.WebRtc, time, loggerFactory) : null;
    }

    /// <summary>The plane, or null when WebRTC is disabled.</summary>
    public WebRtcPlane? Plane { get; }

    /// <summary>The <c>webrtc</c> options.</summary>
    public WebRtcOptions Options { get; }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Plane?.Start();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Plane is { } plane)
        {
            await plane.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Plane is { } plane)
        {
            await plane.DisposeAsync().ConfigureAwait(false);
        }
    }
}
