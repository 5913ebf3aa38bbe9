using Microsoft.Extensions.Hosting;

namespace CamStreamd.Http;

/// <summary>
/// The lifetime of the embedded web application: it does nothing, so only the daemon's own host
/// reacts to SIGTERM/SIGINT and it stops Kestrel through <see cref="HttpHostedService"/>.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
