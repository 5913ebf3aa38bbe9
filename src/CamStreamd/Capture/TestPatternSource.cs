using System.Diagnostics;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Capture;

/// <summary>
/// A synthetic camera: I420 pictures with scrolling colour bars, a bouncing box and a visible
/// frame counter and stream time, paced by the monotonic clock.
/// </summary>
/// <remarks>
/// Frame n is due at <c>start + n / fps</c>, computed from the start each time so that wake-up
/// errors never accumulate. A reader that arrives after a later frame has fallen due (a frame
/// period or more behind) skips to the frame due now (counted in <see cref="SkippedFrames"/>)
/// instead of receiving a burst of stale frames; <see cref="VideoFrame.FrameNumber"/> is the
/// schedule index, so skips show as gaps, and <see cref="VideoFrame.CaptureTimestamp"/> is the
/// frame's due time. A waiting read completes at the first millisecond timer tick at or after the
/// due time. One reader at a time.
/// </remarks>
public sealed partial class TestPatternSource : IVideoSource
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly VideoFramePool _pool;
    private readonly double _ticksPerFrame;
    private readonly Action<VideoFrame, long, long> _render;
    private long _start;
    private long _next;
    private long _skipped;
    private long _skippedUnlogged;
    private long _lastSkipLog;
    private bool _started;
    private bool _disposed;

    /// <summary>Creates a source of <paramref name="width"/>x<paramref name="height"/> pictures at <paramref name="fps"/>.</summary>
    /// <param name="width">Even width in pixels.</param>
    /// <param name="height">Even height in pixels.</param>
    /// <param name="fps">Frames per second, 0 &lt; fps ≤ 240.</param>
    /// <param name="timeProvider">Clock and delays; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Logger; none when null.</param>
    public TestPatternSource(int width, int height, double fps, TimeProvider? timeProvider = null, ILogger<TestPatternSource>? logger = null)
        : this(width, height, fps, TestPatternRenderer.Render, timeProvider, logger)
    {
    }

    /// <summary>Creates a source whose pictures are drawn by <paramref name="render"/> (frame, frame number, stream milliseconds); the "NO SIGNAL" card uses it.</summary>
    internal TestPatternSource(int width, int height, double fps, Action<VideoFrame, long, long> render, TimeProvider? timeProvider = null, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 16);
        if (width % 2 != 0 || height % 2 != 0)
        {
            throw new ArgumentException("I420 needs an even width and height.", nameof(width));
        }

        if (!(fps > 0 && fps <= 240))
        {
            throw new ArgumentOutOfRangeException(nameof(fps), fps, "Frame rate must be in (0, 240].");
        }

        Width = width;
        Height = height;
        Fps = fps;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _render = render;
        _pool = new VideoFramePool(width, height);
        _ticksPerFrame = _time.TimestampFrequency / fps;
    }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public double Fps { get; }

    /// <summary>Least time between two "fell behind" warnings; the skips in between are summed into the next one.</summary>
    public static readonly TimeSpan SkipWarningInterval = TimeSpan.FromSeconds(10);

    /// <summary>Frames skipped because the reader fell a frame period or more behind.</summary>
    public long SkippedFrames => Interlocked.Read(ref _skipped);

    /// <summary>Frames allocated by the source's pool (steady when readers release their frames).</summary>
    public long FramesAllocated => _pool.Created;

    /// <inheritdoc/>
    public async ValueTask<VideoFrame> ReadFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var now = _time.GetTimestamp();
        if (!_started)
        {
            _start = now;
            _started = true;
        }

        var current = LatestDue(now);
        if (current > _next)
        {
            // A later frame is already due: jump to the frame due now rather than bursting.
            var skipped = current - _next;
            Interlocked.Add(ref _skipped, skipped);
            _skippedUnlogged += skipped;

            // A machine that is busy for minutes would otherwise log a warning per late frame.
            if (_lastSkipLog == 0 || _time.GetElapsedTime(_lastSkipLog, now) >= SkipWarningInterval)
            {
                LogSkipped(_logger, _skippedUnlogged, current, SkipWarningInterval.TotalSeconds);
                _skippedUnlogged = 0;
                _lastSkipLog = now;
            }

            _next = current;
        }

        var due = DueTime(_next);
        while (now < due)
        {
            var wait = WaitUntil(now, due);
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            now = _time.GetTimestamp();
        }

        // Stamped with its scheduled time, as a camera stamps the exposure, not the read: exact
        // n / fps spacing for the RTP clock, whether the reader woke late or was late itself.
        var number = _next++;
        var frame = _pool.Rent();
        frame.FrameNumber = number;
        frame.CaptureTimestamp = ToStopwatchTicks(due);
        var streamMilliseconds = (long)(number * 1000 / Fps);
        _render(frame, number, streamMilliseconds);
        return frame;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        return ValueTask.CompletedTask;
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Warning, Message = "Test pattern reader fell behind: skipped {Skipped} frames, continuing at frame {FrameNumber} (said at most every {IntervalSeconds} s)")]
    private static partial void LogSkipped(ILogger logger, long skipped, long frameNumber, double intervalSeconds);

    private long DueTime(long frame) => _start + (long)Math.Round(frame * _ticksPerFrame);

    /// <summary>The latest frame whose due time is at or before <paramref name="now"/>.</summary>
    private long LatestDue(long now)
    {
        // The quotient estimates it; due times are rounded to whole ticks, so at a due time the
        // floor can land one frame short (frame 10 of 30 fps is due at 333,333,333 ns, and
        // 333,333,333 / 33,333,333.33 < 10). DueTime has the last word.
        var frame = Math.Max(0, (long)Math.Floor((now - _start) / _ticksPerFrame));
        while (DueTime(frame + 1) <= now)
        {
            frame++;
        }

        while (frame > 0 && DueTime(frame) > now)
        {
            frame--;
        }

        return frame;
    }

    /// <summary>The delay from <paramref name="now"/> to <paramref name="due"/>, rounded up to whole milliseconds.</summary>
    /// <remarks>
    /// <c>Task.Delay</c> truncates to whole milliseconds, so an exact delay wakes up to 1 ms
    /// early and the remaining sub-millisecond wait completes at once: the loop would busy-wait
    /// (forever on a test clock that only moves when advanced). Rounded up, the wake-up is at or
    /// after the due time; the frame keeps its scheduled timestamp either way.
    /// </remarks>
    private TimeSpan WaitUntil(long now, long due)
    {
        var frequency = _time.TimestampFrequency;
        return TimeSpan.FromMilliseconds((long)((((Int128)(due - now) * 1000) + frequency - 1) / frequency));
    }

    private long ToStopwatchTicks(long timestamp) =>
        _time.TimestampFrequency == Stopwatch.Frequency
            ? timestamp
            : (long)((Int128)timestamp * Stopwatch.Frequency / _time.TimestampFrequency);
}
