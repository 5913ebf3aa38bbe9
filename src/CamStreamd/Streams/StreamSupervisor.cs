using CamStreamd.Configuration;
using CamStreamd.Media;
using CamStreamd.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Streams;

/// <summary>
/// Runs the daemon's streams and changes them while it runs: the configured streams start with
/// the host; the HTTP API adds, removes, stops and starts streams; a reload applies a new
/// configuration, restarting only the streams whose settings changed. Every change is serialized
/// by one async lock, so a reload and an API call never interleave.
/// </summary>
public sealed partial class StreamSupervisor : IHostedService, IAsyncDisposable
{
    /// <summary>Longest wait for a pipeline to stop before it is abandoned (logged).</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(3);

    private readonly SemaphoreSlim _changeLock = new(1, 1);
    private readonly StreamFactory _factory;
    private readonly StreamHubRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<StreamSupervisor> _logger;
    private readonly Dictionary<string, StreamInstance> _streams = new(StringComparer.OrdinalIgnoreCase);
    private readonly SupervisorFrameTap? _frameTap;
    private IReadOnlyList<StreamOptions> _initial;
    private RtspOptions _rtsp;
    private volatile StreamInstance[] _snapshot = [];
    private int _disposed;

    /// <summary>Creates the supervisor of the configured <paramref name="options"/>.</summary>
    public StreamSupervisor(CamStreamdOptions options, StreamFactory factory, StreamHubRegistry registry, TimeProvider time, ILogger<StreamSupervisor> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _initial = options.Streams;
        _rtsp = options.Rtsp;
        _factory = factory;
        _registry = registry;
        _time = time;
        _logger = logger;

        // Composite inputs {"stream": name} take the raw frames of the streams this supervisor runs.
        if (_factory.FrameTap is null)
        {
            _frameTap = new SupervisorFrameTap(this);
            _factory.FrameTap = _frameTap;
        }
    }

    /// <summary>Every stream, started or not, in the order added.</summary>
    public IReadOnlyList<StreamInstance> Streams => _snapshot;

    /// <summary>Finds a stream by name (ignoring case, as names are unique ignoring case).</summary>
    public StreamInstance? Find(string name) => Array.Find(_snapshot, s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Builds and starts the configured streams.</summary>
    /// <remarks>
    /// Ignores <paramref name="cancellationToken"/>: building streams is quick, and a SIGTERM that
    /// arrives during start must still end in a clean stop (exit 0), not a failed start.
    /// </remarks>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _changeLock.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            foreach (var options in _initial)
            {
                Start(Create(options));
            }

            _initial = [];
        }
        finally
        {
            _changeLock.Release();
        }
    }

    /// <summary>Stops every stream and ends its viewers.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _changeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_snapshot.Select(RemoveLockedAsync)).ConfigureAwait(false);
        }
        finally
        {
            _changeLock.Release();
        }
    }

    /// <summary>Adds and starts a validated stream; false (nothing changed) when its name is taken.</summary>
    public async Task<bool> AddAsync(StreamOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await _changeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_streams.ContainsKey(options.Name))
            {
                return false;
            }

            Start(Create(options));
            return true;
        }
        finally
        {
            _changeLock.Release();
        }
    }

    /// <summary>
    /// Adds and starts several validated streams together: when any name is taken (or repeated),
    /// none is added and that name is returned; null when all were added.
    /// </summary>
    public async Task<string?> AddAllAsync(IReadOnlyList<StreamOptions> streams, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(streams);
        await _changeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var options in streams)
            {
                if (_streams.ContainsKey(options.Name) || !names.Add(options.Name))
                {
                    return options.Name;
                }
            }

            foreach (var options in streams)
            {
                Start(Create(options));
            }

            return null;
        }
        finally
        {
            _changeLock.Release();
        }
    }

    /// <summary>Stops a stream, ends its viewers and forgets it; false when there is no such stream.</summary>
    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken)
    {
        await _changeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_streams.TryGetValue(name, out var stream))
            {
                return false;
            }

            await RemoveLockedAsync(stream).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _changeLock.Release();
        }
    }

    /// <summary>Starts a stopped stream (its viewers, still connected, resume); false when there is no such stream.</summary>
    public async Task<bool> StartStreamAsync(string name, CancellationToken cancellationToken)
    {
        await _changeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_streams.TryGetValue(name, out var stream))
            {
                return false;
            }

            if (!stream.IsStarted)
            {
                Start(stream);
            }

            return true;
        }
        finally
        {
            _changeLock.Release();
        }
    }

    /// <summary>Stops a stream's pipeline; its hub and viewers stay (they receive nothing until started). False when there is no such stream.</summary>
    public async Task<bool> StopStreamAsync(string name, CancellationToken cancellationToken)
    {
        await _changeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_streams.TryGetValue(name, out var stream))
            {
                return false;
            }

            await StopPipelineAsync(stream).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _changeLock.Release();
        }
    }

    /// <summary>
    /// Applies a new, validated configuration's streams: unchanged ones keep running with their
    /// viewers, changed ones are rebuilt, new ones start and missing ones stop. Settings outside
    /// <c>streams</c> that need a restart are the caller's to report.
    /// </summary>
    public async Task<StreamChanges> ApplyAsync(CamStreamdOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        await _changeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var rtspChanged = _rtsp.MaxFrameLength != options.Rtsp.MaxFrameLength;
            _rtsp = options.Rtsp;
            List<string> added = [], removed = [], restarted = [], unchanged = [];
            var wanted = options.Streams.ToDictionary(s => s.Name, StringComparer.OrdinalIgnoreCase);
            foreach (var stream in _snapshot)
            {
                if (!wanted.TryGetValue(stream.Name, out var next))
                {
                    await RemoveLockedAsync(stream).ConfigureAwait(false);
                    removed.Add(stream.Name);
                }
                else if (!rtspChanged && next == stream.Options)
                {
                    unchanged.Add(stream.Name);
                }
                else
                {
                    var wasStarted = stream.IsStarted;
                    await RemoveLockedAsync(stream).ConfigureAwait(false);
                    var rebuilt = Create(next);
                    if (wasStarted)
                    {
                        Start(rebuilt);
                    }

                    restarted.Add(next.Name);
                }
            }

            foreach (var next in options.Streams)
            {
                if (!_streams.ContainsKey(next.Name))
                {
                    Start(Create(next));
                    added.Add(next.Name);
                }
            }

            return new StreamChanges(added, removed, restarted, unchanged);
        }
        finally
        {
            _changeLock.Release();
        }
    }

    /// <inheritdoc />
    /// <remarks>Idempotent: the container disposes the instance once per registration (singleton and hosted service).</remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private StreamInstance Create(StreamOptions options)
    {
        var pipeline = _factory.Create(options, _rtsp);
        var stream = new StreamInstance(options, pipeline, _time.GetUtcNow());
        stream.Outputs = _factory.CreateOutputs(options, pipeline.Hub);
        _streams.Add(options.Name, stream);
        _snapshot = [.. _snapshot, stream];
        _frameTap?.StreamCreated(stream);
        return stream;
    }

    private void Start(StreamInstance stream)
    {
        var cts = new CancellationTokenSource();
        stream.RunCancellation = cts;
        stream.StartedAt = _time.GetUtcNow();
        stream.Pipeline.SetState(StreamState.Starting);
        stream.RunTask = Task.Run(() => stream.Pipeline.RunAsync(cts.Token), CancellationToken.None);
        LogStreamStarted(stream.Name);
    }

    private async Task StopPipelineAsync(StreamInstance stream)
    {
        if (stream.RunCancellation is not { } cts || stream.RunTask is not { } task)
        {
            return;
        }

        await cts.CancelAsync().ConfigureAwait(false);
        try
        {
            await task.WaitAsync(StopTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogStopTimedOut(stream.Name, StopTimeout.TotalSeconds);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogStopFailed(stream.Name, ex);
        }

        cts.Dispose();
        stream.RunCancellation = null;
        stream.RunTask = null;
        stream.StartedAt = null;
        stream.Pipeline.SetState(StreamState.Stopped);
        LogStreamStopped(stream.Name);
    }

    private async Task RemoveLockedAsync(StreamInstance stream)
    {
        await StopPipelineAsync(stream).ConfigureAwait(false);
        await stream.Outputs.DisposeAsync().ConfigureAwait(false);
        _streams.Remove(stream.Name);
        _snapshot = [.. _snapshot.Where(s => !ReferenceEquals(s, stream))];
        _frameTap?.StreamRemoved(stream);
        if (_registry.TryRemove(stream.Hub.Name, out var hub))
        {
            hub.Dispose();
        }
    }

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Stream {Stream}: started")]
    private partial void LogStreamStarted(string stream);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Stream {Stream}: stopped")]
    private partial void LogStreamStopped(string stream);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning, Message = "Stream {Stream}: pipeline did not stop within {Seconds} s; abandoned")]
    private partial void LogStopTimedOut(string stream, double seconds);

    [LoggerMessage(EventId = 123, Level = LogLevel.Error, Message = "Stream {Stream}: pipeline failed while stopping")]
    private partial void LogStopFailed(string stream, Exception exception);
}
