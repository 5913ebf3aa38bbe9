using System.Diagnostics;
using CamStreamd.Configuration;
using CamStreamd.Interop.FFmpeg;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Recording;

/// <summary>
/// Records one stream into fragmented MP4 segments, as an output under the output contract: one
/// hub subscription (its own bounded queue: a slow disk loses frames up to the next IDR, counted,
/// and never slows capture or another output) and a viewer lease while it records. Each segment
/// starts on an IDR and ends at the first IDR after <c>segmentSeconds</c>; a fragment (moof+mdat)
/// is written and handed to the kernel every <c>partSeconds</c>, so a killed daemon leaves every
/// finished part readable (<c>empty_moov</c>: the header needs nothing from the end of the file).
/// Old segments go by <c>retentionSeconds</c>, and oldest first while free space is below
/// <c>minFreeMegabytes</c>; with nothing left to delete, recording pauses (logged) until space returns.
/// </summary>
public sealed class Recorder : IAsyncDisposable
{
    /// <summary>Frames queued for the disk beyond the cached GOP.</summary>
    public const int QueueCapacity = 150;

    /// <summary>Least time between two free-space and retention checks while recording.</summary>
    private static readonly long HousekeepingInterval = Stopwatch.Frequency;

    // Fragments at our own part boundaries (frag_custom), moov first and empty, fragments that stand alone.
    private static readonly KeyValuePair<string, string>[] Mp4Options =
    [
        new("movflags", "frag_custom+empty_moov+default_base_moof"),
    ];

    private readonly StreamHub _hub;
    private readonly RecordOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly long _segmentTicks90k;
    private readonly long _partTicks90k;
    private Task? _run;
    private FFmpegMuxer? _muxer;
    private string? _currentPath;
    private long _segmentBase90k;
    private long _partStart90k;
    private long _lastHousekeeping;
    private long _retryAfter;
    private ViewerLease? _lease;
    private int _disposed;

    /// <summary>Creates the recorder of <paramref name="hub"/> (nothing happens before <see cref="Start"/>).</summary>
    public Recorder(StreamHub hub, RecordOptions options, ILogger logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(options);
        _hub = hub;
        _options = options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
        Store = new SegmentStore(options.Path, hub.Name);
        _segmentTicks90k = options.SegmentSeconds * 90_000L;
        _partTicks90k = (long)(options.PartSeconds * 90_000);
    }

    /// <summary>The stream's segment files.</summary>
    public SegmentStore Store { get; }

    /// <summary>The settings it records with.</summary>
    public RecordOptions Options => _options;

    /// <summary>Totals and state.</summary>
    public RecorderCounters Counters { get; } = new();

    /// <summary>The segment being written now, or null.</summary>
    public string? CurrentPath => Volatile.Read(ref _currentPath);

    /// <summary>Starts recording.</summary>
    public void Start() => _run ??= Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);

    /// <summary>The segments, oldest first, the current one marked.</summary>
    public IReadOnlyList<SegmentInfo> List() => Store.List(CurrentPath);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        if (_run is not null)
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        RecordingLog.Started(_logger, _hub.Name, Store.Directory, _options.SegmentSeconds, _options.PartSeconds);
        using var subscription = _hub.Subscribe(QueueCapacity);
        try
        {
            while (await subscription.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (subscription.TryRead(out var unit))
                {
                    try
                    {
                        OnUnit(unit);
                    }
                    finally
                    {
                        unit.Release();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            CloseSegment();
            RecordingLog.Stopped(_logger, _hub.Name);
        }
    }

    private void OnUnit(AccessUnit unit)
    {
        try
        {
            if (_muxer is null)
            {
                if (unit.IsKeyframe && Stopwatch.GetTimestamp() >= _retryAfter)
                {
                    StartSegment(unit);
                }

                if (_muxer is null)
                {
                    return;
                }
            }
            else if (unit.IsKeyframe && unit.Timestamp90k - _segmentBase90k >= _segmentTicks90k)
            {
                CloseSegment();
                StartSegment(unit);
                if (_muxer is null)
                {
                    return;
                }
            }
            else if (unit.Timestamp90k - _partStart90k >= _partTicks90k)
            {
                _muxer.Flush();
                _partStart90k = unit.Timestamp90k;
                Housekeeping(force: false);
                if (_muxer is null)
                {
                    return;
                }
            }

            _muxer.Write(unit.AnnexB, unit.Timestamp90k - _segmentBase90k, unit.IsKeyframe);
            Counters.AddFrame(unit.Length);
        }
        catch (Exception e) when (e is FFmpegException or IOException or UnauthorizedAccessException or FFmpegUnavailableException)
        {
            Counters.AddFailure(e.Message);
            RecordingLog.Failed(_logger, _hub.Name, e.Message, 5);
            AbandonSegment();
            _retryAfter = Stopwatch.GetTimestamp() + (5 * Stopwatch.Frequency);
        }
    }

    private void StartSegment(AccessUnit keyframe)
    {
        Directory.CreateDirectory(Store.Directory);
        if (!Housekeeping(force: true))
        {
            return;
        }

        if (_hub.Description is not { } description)
        {
            return;
        }

        var path = Store.NewPath(_time.GetUtcNow());
        byte[] parameterSets = [0, 0, 0, 1, .. description.Sps, 0, 0, 0, 1, .. description.Pps];
        _muxer = FFmpegMuxer.Open("mp4", path, description.Width, description.Height, parameterSets, Mp4Options, []);
        Volatile.Write(ref _currentPath, path);
        _segmentBase90k = keyframe.Timestamp90k;
        _partStart90k = keyframe.Timestamp90k;
        _lease ??= _hub.Counters.AddViewer(ViewerProtocol.Record);
        Counters.AddSegment();
        RecordingLog.SegmentStarted(_logger, _hub.Name, Path.GetFileName(path));
    }

    private void CloseSegment()
    {
        if (_muxer is not { } muxer)
        {
            return;
        }

        try
        {
            muxer.Close();
        }
        catch (FFmpegException e)
        {
            Counters.AddFailure(e.Message);
        }
        finally
        {
            muxer.Dispose();
            _muxer = null;
            CountFinished();
        }
    }

    private void AbandonSegment()
    {
        _muxer?.Dispose();
        _muxer = null;
        CountFinished();
        _lease?.Dispose();
        _lease = null;
    }

    private void CountFinished()
    {
        if (Interlocked.Exchange(ref _currentPath, null) is { } path && File.Exists(path))
        {
            Counters.AddBytesWritten(new FileInfo(path).Length);
        }
    }

    /// <summary>
    /// Retention and the free-space floor (at most once a second unless <paramref name="force"/>d).
    /// False when recording must pause: space is below the floor and nothing but the current segment is left.
    /// </summary>
    private bool Housekeeping(bool force)
    {
        var now = Stopwatch.GetTimestamp();
        if (!force && now - _lastHousekeeping < HousekeepingInterval)
        {
            return true;
        }

        _lastHousekeeping = now;
        var segments = Store.List(CurrentPath).ToList();
        if (_options.RetentionSeconds > 0)
        {
            var cutoff = _time.GetUtcNow() - TimeSpan.FromSeconds(_options.RetentionSeconds);
            foreach (var old in segments.Where(s => !s.Recording && s.Start + s.Duration < cutoff).ToList())
            {
                DeleteSegment(old, forSpace: false, "older than retentionSeconds");
                segments.Remove(old);
            }
        }

        var floor = _options.MinFreeMegabytes * 1024 * 1024;
        var free = FreeBytes();
        while (free < floor)
        {
            var oldest = segments.FirstOrDefault(s => !s.Recording);
            if (oldest is null)
            {
                if (!Counters.Paused)
                {
                    Counters.SetPaused(true);
                    RecordingLog.Paused(_logger, _hub.Name, Store.Directory, free / (1024 * 1024), _options.MinFreeMegabytes);
                }

                CloseSegment();
                _lease?.Dispose();
                _lease = null;

                // Look again in a second (at a keyframe): space may come back.
                _retryAfter = now + Stopwatch.Frequency;
                return false;
            }

            DeleteSegment(oldest, forSpace: true, "free space below minFreeMegabytes");
            segments.Remove(oldest);
            free = FreeBytes();
        }

        if (Counters.Paused)
        {
            Counters.SetPaused(false);
            RecordingLog.Resumed(_logger, _hub.Name, free / (1024 * 1024));
        }

        return true;
    }

    private void DeleteSegment(SegmentInfo segment, bool forSpace, string reason)
    {
        try
        {
            File.Delete(segment.Path);
            Counters.AddDeleted(forSpace);
            RecordingLog.Deleted(_logger, _hub.Name, segment.File, reason);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Counters.AddFailure($"deleting {segment.File}: {e.Message}");
        }
    }

    private long FreeBytes()
    {
        try
        {
            // statvfs(2) of the directory's filesystem: f_bavail * f_frsize, what an unprivileged writer may use.
            return new DriveInfo(Store.Directory).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return long.MaxValue;
        }
    }
}
