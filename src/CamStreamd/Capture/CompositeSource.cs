using System.Diagnostics;
using CamStreamd.Configuration;
using CamStreamd.Encoding;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Capture;

/// <summary>
/// The source of a composite stream (<c>source.type</c> <c>composite</c>): several inputs tiled
/// into one I420 picture of the configured size, paced by its own clock at the configured rate
/// whatever the inputs do. Frame n is due at <c>start + n / fps</c> (a reader that falls behind
/// skips to the frame due now); at each due time every tile whose input has a newer picture is
/// scaled straight into its place in the canvas, a tile without one keeps its last picture, and
/// a tile without pictures for <c>holdSeconds</c> turns black with its input's name and NO SIGNAL.
/// The canvas is handed to the pipeline as the frame (no copy); inputs run on their own threads
/// and reconnect on their own. Between frames the source sleeps (one reused timer, no polling, no Task per frame).
/// </summary>
public sealed partial class CompositeSource : IVideoSource
{
    private readonly CompositeCanvas _canvas;
    private readonly CompositeTile[] _tiles;
    private readonly ILogger _logger;
    private readonly double _ticksPerFrame;
    private readonly long[] _picturesAtSample;
    private readonly ReusableDelay _delay = new();
    private long _start;
    private long _next;
    private long _skipped;
    private long _lastSample;
    private bool _started;
    private bool _disposed;

    /// <summary>Creates a composite of <paramref name="inputs"/> (already built, not started) over a canvas of the given size.</summary>
    internal CompositeSource(int width, int height, double fps, TimeSpan hold, YuvColor background, IReadOnlyList<(ICompositeInput Input, CompositeRect Rect, string Fit)> inputs, ILogger? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 16);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 16);
        if (width % 2 != 0 || height % 2 != 0)
        {
            throw new ArgumentException("I420 needs an even width and height.", nameof(width));
        }

        Width = width;
        Height = height;
        Fps = fps;
        _logger = logger ?? NullLogger.Instance;
        _ticksPerFrame = Stopwatch.Frequency / fps;
        _canvas = new CompositeCanvas(width, height);
        var backgroundCanvas = new PlanarCanvas(_canvas.Frame);
        backgroundCanvas.FillRect(0, 0, width, height, background);
        _tiles = [.. inputs.Select(i => new CompositeTile(i.Input, i.Rect, i.Fit, _canvas, new TileScaler(), background, hold))];
        _picturesAtSample = new long[_tiles.Length];
    }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public double Fps { get; }

    /// <summary>Frames skipped because the reader fell a frame period or more behind.</summary>
    public long SkippedFrames => Interlocked.Read(ref _skipped);

    /// <summary>The inputs' counters, in tile order.</summary>
    public IReadOnlyList<CompositeInputCounters> Inputs => [.. _tiles.Select(t => t.Input.Counters)];

    /// <summary>Pictures scaled into tiles so far (all tiles).</summary>
    public long TilesScaled => _tiles.Sum(t => t.Scaled);

    /// <summary>Builds the YUV of an sRGB colour (BT.601, limited range, as the canvas is).</summary>
    internal static YuvColor ToYuv((byte R, byte G, byte B) rgb)
    {
        var (r, g, b) = (rgb.R / 255.0, rgb.G / 255.0, rgb.B / 255.0);
        return new YuvColor(
            (byte)Math.Round(16 + (65.481 * r) + (128.553 * g) + (24.966 * b)),
            (byte)Math.Round(128 - (37.797 * r) - (74.203 * g) + (112.0 * b)),
            (byte)Math.Round(128 + (112.0 * r) - (93.786 * g) - (18.214 * b)));
    }

    /// <inheritdoc/>
    /// <remarks>The state machine is pooled: a read that waits for its frame allocates nothing.</remarks>
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<VideoFrame> ReadFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        var now = Stopwatch.GetTimestamp();
        if (!_started)
        {
            foreach (var tile in _tiles)
            {
                tile.Input.Start();
            }

            _start = now;
            _lastSample = now;
            _started = true;
            LogStarted(_logger, Width, Height, Fps, _tiles.Length);
        }

        var current = (long)Math.Floor((now - _start) / _ticksPerFrame);
        if (current > _next)
        {
            // A later frame is already due: jump to it rather than bursting stale ones.
            Interlocked.Add(ref _skipped, current - _next);
            _next = current;
        }

        var due = _start + (long)Math.Round(_next * _ticksPerFrame);
        while (now < due)
        {
            // Rounded up to whole milliseconds: timers truncate, and an early wake-up would spin.
            // One reused timer: no Task per frame.
            var wait = TimeSpan.FromMilliseconds(Math.Ceiling((due - now) * 1000.0 / Stopwatch.Frequency));
            await _delay.WaitAsync(wait, cancellationToken).ConfigureAwait(false);
            now = Stopwatch.GetTimestamp();
        }

        _canvas.HandOut();
        var frame = _canvas.Frame;
        try
        {
            Compose(now);
        }
        catch
        {
            frame.Release();
            throw;
        }

        frame.FrameNumber = _next++;
        frame.CaptureTimestamp = due;
        return frame;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _delay.Dispose();
        await Task.WhenAll(_tiles.Select(t => t.Input.DisposeAsync().AsTask())).ConfigureAwait(false);
        foreach (var tile in _tiles)
        {
            tile.Input.Slot.Dispose();
            tile.Dispose();
        }
    }

    private void Compose(long now)
    {
        foreach (var tile in _tiles)
        {
            tile.Update(now);
        }

        // Each input's rate over the last second, measured here so the inputs' threads do no extra work.
        var elapsed = now - _lastSample;
        if (elapsed >= Stopwatch.Frequency)
        {
            for (var i = 0; i < _tiles.Length; i++)
            {
                var counters = _tiles[i].Input.Counters;
                var pictures = counters.Pictures;
                counters.SetMeasuredFps((pictures - _picturesAtSample[i]) * (double)Stopwatch.Frequency / elapsed);
                _picturesAtSample[i] = pictures;
            }

            _lastSample = now;
        }
    }

    [LoggerMessage(EventId = 3710, Level = LogLevel.Information, Message = "Composite {Width}x{Height} at {Fps} fps of {Inputs} inputs")]
    private static partial void LogStarted(ILogger logger, int width, int height, double fps, int inputs);
}
