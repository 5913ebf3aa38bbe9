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

    /// <summary>Runs every pipeline; when they stop, their hubs end every subscription.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.WhenAll(_pipelines.Select(pipeline => Task.Run(() => pipeline.RunAsync(stoppingToken), CancellationToken.None)))
                .ConfigureAwait(false);
        }
        finally
        {
            foreach (var pipeline in _pipelines)
            {
                pipeline.Hub.Dispose();
            }
        }
    }
}
