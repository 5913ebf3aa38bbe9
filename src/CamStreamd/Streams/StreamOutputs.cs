using CamStreamd.Configuration;
using CamStreamd.Media;
using CamStreamd.Publish;
using CamStreamd.Recording;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Streams;

/// <summary>
/// A stream's outputs beyond RTSP and HTTP: its publish targets (and its recorder). They live as
/// long as the stream's hub: created with the stream, stopped before its hub is disposed, and
/// untouched by a pipeline stop/start (they then simply receive nothing).
/// </summary>
public sealed class StreamOutputs : IAsyncDisposable
{
    private StreamOutputs(IReadOnlyList<PublishTarget> publishers, Recorder? recorder)
    {
        Publishers = publishers;
        Recorder = recorder;
    }

    /// <summary>No outputs.</summary>
    public static StreamOutputs None { get; } = new([], null);

    /// <summary>The recorder, or null when the stream is not recorded.</summary>
    public Recorder? Recorder { get; }

    /// <summary>The publish targets, in configuration order.</summary>
    public IReadOnlyList<PublishTarget> Publishers { get; }

    /// <summary>Creates and starts the outputs <paramref name="options"/> asks for.</summary>
    public static StreamOutputs Start(StreamOptions options, StreamHub hub, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Publish is not { Count: > 0 } && options.Record is null)
        {
            return None;
        }

        var publishers = (options.Publish ?? []).Select(t => PublishTarget.Create(hub, t, loggerFactory)).ToArray();
        foreach (var publisher in publishers)
        {
            publisher.Start();
        }

        var recorder = options.Record is { } record ? new Recorder(hub, record, loggerFactory.CreateLogger<Recorder>()) : null;
        recorder?.Start();
        return new StreamOutputs(publishers, recorder);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll([.. Publishers.Select(p => p.DisposeAsync().AsTask()), Recorder?.DisposeAsync().AsTask() ?? Task.CompletedTask]).ConfigureAwait(false);
    }
}
