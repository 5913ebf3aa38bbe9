using CamStreamd.Configuration;
using CamStreamd.Media;
using CamStreamd.Streams;

namespace CamStreamd.Streams;

/// <summary>
/// One stream as the <see cref="StreamSupervisor"/> runs it: its settings, hub and pipeline, and
/// the task running the pipeline while it is started. Read by the HTTP API, metrics and systemd.
/// </summary>
public sealed class StreamInstance
{
    internal StreamInstance(StreamOptions options, StreamPipeline pipeline, DateTimeOffset createdAt)
    {
        Options = options;
        Pipeline = pipeline;
        CreatedAt = createdAt;
    }

    /// <summary>The stream's name (its URL path segment).</summary>
    public string Name => Options.Name;

    /// <summary>The settings it runs with.</summary>
    public StreamOptions Options { get; }

    /// <summary>The pipeline feeding <see cref="Hub"/>.</summary>
    public StreamPipeline Pipeline { get; }

    /// <summary>The hub every output reads.</summary>
    public StreamHub Hub => Pipeline.Hub;

    /// <summary>The stream's running totals.</summary>
    public StreamCounters Counters => Hub.Counters;

    /// <summary>Where the stream is: <see cref="StreamState.Stopped"/> while not started, else the pipeline's state.</summary>
    public StreamState State => IsStarted ? Pipeline.State : StreamState.Stopped;

    /// <summary>When the stream was created (added or restarted).</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>When the pipeline was last started, or null while stopped.</summary>
    public DateTimeOffset? StartedAt { get; internal set; }

    /// <summary>True while the pipeline runs.</summary>
    public bool IsStarted => RunTask is { IsCompleted: false };

    /// <summary>The stream's publish targets and recorder (none unless configured).</summary>
    public StreamOutputs Outputs { get; internal set; } = StreamOutputs.None;

    internal CancellationTokenSource? RunCancellation { get; set; }

    internal Task? RunTask { get; set; }
}
