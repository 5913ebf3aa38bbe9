using Microsoft.Extensions.Hosting;

namespace CamStreamd.Capture;

/// <summary>The hosted service that runs every stream's <see cref="StreamPipeline"/> until the host stops.</summary>
public sealed class CaptureService : BackgroundService
{
    private readonly IReadOnlyList<StreamPipeline> _pipelines;

    /// <summary>Runs <paramref name="pipelines"/>.</summary>
    public CaptureService(IEnumerable<StreamPipeline> pipelines)
    {
        _pipelines = [.. pipelines];
    }

    /// <summary>The pipelines run by this service.</summary>
    public IReadOnlyList<StreamPipeline> Pipelines => _pipelines;

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_pipelines.Select(pipeline => Task.Run(() => pipeline.RunAsync(stoppingToken), CancellationToken.None)));
}
