using System.Diagnostics;
using System.Threading.Channels;
using CamStreamd.Configuration;
using CamStreamd.Media;
using CamStreamd.Rtsp.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Capture;

/// <summary>
/// The source of a relayed stream (<c>source.type</c> <c>rtsp</c>): an <see cref="RtspPullSession"/>
/// pulls the upstream camera's H.264, and each access unit becomes one
/// <see cref="VideoPixelFormat.H264"/> frame, passed through without re-encoding, stamped with the
/// upstream's RTP timestamps mapped onto our monotonic clock. The source never ends the stream:
/// while the upstream is down (also at start) it yields the "NO SIGNAL" placeholder at the
/// stream's size and rate, so viewers of the relay stay connected, and the session is retried
/// with backoff (1 s doubling to 30 s; back to 1 s after a session that played). The relayed
/// frames resume on the upstream's next IDR (the depacketizer waits for one).
/// </summary>
public sealed partial class RtspPullSource : IVideoSource, IVideoFrameOwner, IKeyframeSource
{
    /// <summary>First wait before reconnecting.</summary>
    public static readonly TimeSpan InitialRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between attempts.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    /// <summary>How long the first upstream picture may take before the placeholder starts.</summary>
    public static readonly TimeSpan StartGrace = TimeSpan.FromSeconds(3);

    /// <summary>Least and most frames waiting between the network and the pipeline (about a second's worth); more are dropped (counted) and the relay waits for the next IDR.</summary>
    public const int MinQueueCapacity = 8;

    /// <summary>Most frames waiting between the network and the pipeline.</summary>
    public const int MaxQueueCapacity = 60;

    private readonly RtspPullOptions _options;
    private readonly string _stream;
    private readonly StreamCounters _counters;
    private readonly UpstreamCounters _upstream;
    private readonly Action<StreamState>? _stateChanged;
    private readonly ILogger _logger;
    private readonly Channel<VideoFrame> _queue;
    private readonly CancellationTokenSource _stop = new();
    private readonly RelayedUnitWriter _writer;
    private readonly UpstreamKeyframeRequest _keyframeRequest = new();
    private readonly long _stallTicks;
    private CancellationTokenSource _wait = new();
    private CancellationToken _registeredToken;
    private CancellationTokenRegistration _registration;
    private Task? _connectLoop;
    private TestPatternSource? _placeholder;
    private long _startedAt;
    private long _lastFrameAt;
    private long _lastTimestamp;
    private int _sessionEnds;
    private bool _disposed;

    /// <summary>Creates the source; the first read starts pulling.</summary>
    /// <param name="options">URL, transport and credentials.</param>
    /// <param name="stream">The stream's name (for logs).</param>
    /// <param name="width">Stream width (the placeholder's, and the frames' until the SPS says otherwise).</param>
    /// <param name="height">Stream height.</param>
    /// <param name="fps">Stream rate (the placeholder's).</param>
    /// <param name="counters">The stream's counters; <see cref="StreamCounters.Upstream"/> is created when missing.</param>
    /// <param name="stateChanged">Told <see cref="StreamState.NoSignal"/> and <see cref="StreamState.Running"/>.</param>
    /// <param name="logger">Logger.</param>
    public RtspPullSource(RtspPullOptions options, string stream, int width, int height, double fps, StreamCounters counters, Action<StreamState>? stateChanged = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(counters);
        _options = options;
        _stream = stream;
        Width = width;
        Height = height;
        Fps = fps;
        _counters = counters;
        _upstream = counters.Upstream ??= new UpstreamCounters();
        _stateChanged = stateChanged;
        _logger = logger ?? NullLogger.Instance;
        _writer = new RelayedUnitWriter(this, width, height);

        // A second of frames rides out a busy moment of the pipeline; a lost P frame would cost the rest of the GOP.
        var capacity = (int)Math.Clamp(Math.Ceiling(fps), MinQueueCapacity, MaxQueueCapacity);
        _queue = Channel.CreateBounded<VideoFrame>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });

        // A stalled upstream shows the placeholder after a second, or three frame intervals of a slow camera.
        _stallTicks = (long)(Math.Max(1.0, 3.0 / Math.Max(fps, 0.1)) * Stopwatch.Frequency);
    }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public double Fps { get; }

    /// <summary>True while the placeholder runs.</summary>
    public bool NoSignal => _placeholder is not null;

    /// <summary>Where the sessions' access units go (tests feed it directly).</summary>
    internal RelayedUnitWriter Writer => _writer;

    /// <inheritdoc/>
    public async ValueTask<VideoFrame> ReadFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_connectLoop is null)
        {
            _startedAt = Stopwatch.GetTimestamp();
            _connectLoop = Task.Run(() => ConnectLoopAsync(_stop.Token), CancellationToken.None);
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_queue.Reader.TryRead(out var frame))
            {
                if (_placeholder is not null)
                {
                    await _placeholder.DisposeAsync().ConfigureAwait(false);
                    _placeholder = null;
                    LogUpstreamBack(_logger, _stream);
                }

                _stateChanged?.Invoke(StreamState.Running);
                _lastFrameAt = Stopwatch.GetTimestamp();
                return Stamp(frame);
            }

            if (_placeholder is null)
            {
                // Read before SessionUp, so a session that ends after this check still cuts the wait short.
                var sessionEnds = Volatile.Read(ref _sessionEnds);
                var now = Stopwatch.GetTimestamp();
                var deadline = _lastFrameAt == 0 ? _startedAt + ToTicks(StartGrace) : _lastFrameAt + _stallTicks;
                if (now < deadline && (_writer.SessionUp || _lastFrameAt == 0))
                {
                    await WaitForFrameAsync(deadline - now, sessionEnds, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // No signal and no session: viewers get the placeholder until the upstream is back.
                _placeholder = new TestPatternSource(Width, Height, Fps, NoSignalRenderer.Render, TimeProvider.System, logger: null);
                _stateChanged?.Invoke(StreamState.NoSignal);
                LogNoSignal(_logger, _stream, _upstream.LastError ?? "no pictures");
            }

            return Stamp(await _placeholder.ReadFrameAsync(cancellationToken).ConfigureAwait(false));
        }
    }

    /// <inheritdoc/>
    public void ReturnFrame(VideoFrame frame) => _writer.Return(frame);

    /// <summary>A viewer wants an IDR: the playing session asks the upstream with a PLI (a new session asks anyway).</summary>
    public void RequestKeyframe() => _keyframeRequest.Set();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_connectLoop is not null)
        {
            // TEARDOWN takes at most a second.
            await _connectLoop.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        while (_queue.Reader.TryRead(out var frame))
        {
            frame.Release();
        }

        if (_placeholder is not null)
        {
            await _placeholder.DisposeAsync().ConfigureAwait(false);
        }

        await _registration.DisposeAsync().ConfigureAwait(false);
        _wait.Dispose();
        _stop.Dispose();
        _upstream.SetState(UpstreamState.Stopped);
    }

    /// <summary>Offers a relayed frame to the pipeline; false (the caller drops it) when the queue is full.</summary>
    internal bool TryEnqueue(VideoFrame frame)
    {
        if (_queue.Writer.TryWrite(frame))
        {
            return true;
        }

        _counters.AddDropped(DropReason.CaptureLate);
        _upstream.AddAccessUnitsDropped(1);
        return false;
    }

    /// <summary>Keeps capture timestamps strictly increasing across placeholder and relayed frames.</summary>
    private VideoFrame Stamp(VideoFrame frame)
    {
        if (frame.CaptureTimestamp <= _lastTimestamp)
        {
            frame.CaptureTimestamp = _lastTimestamp + 1;
        }

        _lastTimestamp = frame.CaptureTimestamp;
        return frame;
    }

    /// <summary>
    /// Waits until a frame is queued, <paramref name="ticks"/> pass, the session ends (the count of
    /// ended sessions differs from <paramref name="sessionEnds"/>), or cancellation; allocation-free while frames flow.
    /// </summary>
    private async ValueTask WaitForFrameAsync(long ticks, int sessionEnds, CancellationToken cancellationToken)
    {
        if (cancellationToken != _registeredToken)
        {
            await _registration.DisposeAsync().ConfigureAwait(false);
            _registeredToken = cancellationToken;
            _registration = cancellationToken.UnsafeRegister(static s => ((RtspPullSource)s!).CancelWait(), this);
        }

        if (!_wait.TryReset())
        {
            _wait.Dispose();
            _wait = new CancellationTokenSource();
        }

        _wait.CancelAfter(TimeSpan.FromTicks(Math.Max(1, ticks * TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
        if (Volatile.Read(ref _sessionEnds) != sessionEnds)
        {
            // The session ended while the wait was being armed: its wake-up may have hit the previous token.
            return;
        }

        try
        {
            await _queue.Reader.WaitToReadAsync(_wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Deadline passed (or stopping: the caller's token says which).
        }
    }

    private void CancelWait()
    {
        try
        {
            _wait.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile.
        }
    }

    private Task ConnectLoopAsync(CancellationToken cancellationToken) => RtspReconnectLoop.RunAsync(
        _upstream,
        token =>
        {
            _keyframeRequest.Clear();
            var session = new RtspPullSession(_options, _stream, _writer, _upstream, _logger, _keyframeRequest);
            session.TrackReady += _writer.Begin;
            return session.RunAsync(token);
        },
        (reason, delaySeconds) => LogUpstreamFailed(_logger, _stream, ConfigRedactor.RedactUrl(_options.Url) ?? string.Empty, reason, delaySeconds),
        () =>
        {
            // A lost upstream shows the placeholder now, not after the stall timeout: wake the reader.
            _writer.End();
            Interlocked.Increment(ref _sessionEnds);
            CancelWait();
        },
        cancellationToken);

    /// <summary>The wait after <paramref name="delay"/>: doubled, at most <see cref="MaxRetryDelay"/> (1, 2, 4, 8, 16, 30, 30 s ...).</summary>
    internal static TimeSpan NextRetryDelay(TimeSpan delay) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    [LoggerMessage(EventId = 3310, Level = LogLevel.Warning, Message = "Stream {Stream}: upstream {Url} unavailable ({Reason}); retrying in {DelaySeconds} s")]
    private static partial void LogUpstreamFailed(ILogger logger, string stream, string url, string reason, double delaySeconds);

    [LoggerMessage(EventId = 3311, Level = LogLevel.Warning, Message = "Stream {Stream}: no pictures from the upstream ({Reason}); streaming NO SIGNAL until it is back")]
    private static partial void LogNoSignal(ILogger logger, string stream, string reason);

    [LoggerMessage(EventId = 3312, Level = LogLevel.Information, Message = "Stream {Stream}: the upstream is back; relayed pictures resume")]
    private static partial void LogUpstreamBack(ILogger logger, string stream);
}
