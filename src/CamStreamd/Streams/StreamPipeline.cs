using CamStreamd.Capture;
using CamStreamd.Encoding;
using CamStreamd.Media;
using CamStreamd.Streams;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Streams;

/// <summary>
/// One stream's capture loop: source → encoder → hub. The source paces the loop; the encoder
/// publishes into the hub, which never blocks. A failing encoder or source is disposed, logged,
/// counted and reopened after a short backoff while the hub and its viewers stay.
/// </summary>
public sealed partial class StreamPipeline
{
    /// <summary>First wait before reopening a failed source or encoder; it doubles up to <see cref="MaxReopenDelay"/>.</summary>
    public static readonly TimeSpan ReopenDelay = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between reopen attempts.</summary>
    public static readonly TimeSpan MaxReopenDelay = TimeSpan.FromSeconds(30);

    private readonly Func<IVideoSource> _sourceFactory;
    private readonly Func<IVideoEncoder> _encoderFactory;
    private readonly ILogger _logger;
    private IVideoEncoder? _encoder;
    private IKeyframeSource? _keyframeSource;
    private int _state = (int)StreamState.Starting;

    /// <summary>Creates the pipeline of <paramref name="hub"/>.</summary>
    public StreamPipeline(StreamHub hub, Func<IVideoSource> sourceFactory, Func<IVideoEncoder> encoderFactory, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(hub);
        Hub = hub;
        _sourceFactory = sourceFactory;
        _encoderFactory = encoderFactory;
        _logger = logger;
        hub.KeyframeRequested += () =>
        {
            Volatile.Read(ref _encoder)?.RequestKeyframe();
            Volatile.Read(ref _keyframeSource)?.RequestKeyframe();
        };
    }

    /// <summary>The hub this pipeline feeds.</summary>
    public StreamHub Hub { get; }

    /// <summary>Where the pipeline is now.</summary>
    public StreamState State => (StreamState)Volatile.Read(ref _state);

    /// <summary>Engine of the open encoder, or null while none is open.</summary>
    public string? EncoderEngine => Volatile.Read(ref _encoder)?.Engine;

    /// <summary>Frames taken from the source.</summary>
    public long FramesCaptured => Hub.Counters.FramesCaptured;

    /// <summary>Times the encoder failed and was reopened.</summary>
    public long EncoderFailures => Hub.Counters.EncoderFailures;

    /// <summary>Times the source failed and was reopened.</summary>
    public long SourceFailures => Hub.Counters.SourceFailures;

    /// <summary>
    /// Raw-frame tap: raised on the capture loop with each captured frame, before it is encoded
    /// (MJPEG and snapshots subscribe only while someone watches). The frame is valid only during
    /// the call; a handler copies what it needs and returns at once, never blocking.
    /// </summary>
    public event Action<VideoFrame>? FrameCaptured;

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var delay = ReopenDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            IVideoSource? source = null;
            var framesBefore = FramesCaptured;
            try
            {
                source = _sourceFactory();
                Volatile.Write(ref _keyframeSource, source as IKeyframeSource);
                LogSourceOpened(Hub.Name, source.GetType().Name, source.Width, source.Height, source.Fps);
                await PumpAsync(source, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Hub.Counters.AddSourceFailure();
                SetState(StreamState.Failed);

                // A pipeline that ran for a while starts its backoff again from the shortest wait.
                delay = FramesCaptured - framesBefore > 100 ? ReopenDelay : delay;
                LogSourceFailed(Hub.Name, delay.TotalSeconds, ex);
            }
            finally
            {
                Volatile.Write(ref _keyframeSource, null);
                if (source is not null)
                {
                    await source.DisposeAsync().ConfigureAwait(false);
                }

                DisposeEncoder();
            }

            await DelayQuietly(delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReopenDelay.Ticks));
        }

        SetState(StreamState.Stopped);
        LogStopped(Hub.Name, FramesCaptured);
    }

    /// <summary>Moves the pipeline to <paramref name="state"/> (sources that fall back to a placeholder report <see cref="StreamState.NoSignal"/>).</summary>
    internal void SetState(StreamState state) => Volatile.Write(ref _state, (int)state);

    private async Task PumpAsync(IVideoSource source, CancellationToken cancellationToken)
    {
        // Open the encoder before the first frame is due, so its start-up time does not make the
        // source fall behind its schedule.
        TryOpenEncoder(out _);
        while (!cancellationToken.IsCancellationRequested)
        {
            var frame = await source.ReadFrameAsync(cancellationToken).ConfigureAwait(false);
            Hub.Counters.AddCaptured();
            if (State != StreamState.NoSignal)
            {
                SetState(StreamState.Running);
            }

            try
            {
                FrameCaptured?.Invoke(frame);
                EncodeOne(frame);
            }
            finally
            {
                frame.Release();
            }
        }
    }

    private void EncodeOne(VideoFrame frame)
    {
        var encoder = Volatile.Read(ref _encoder);
        if (encoder is null)
        {
            if (!TryOpenEncoder(out encoder))
            {
                return;
            }
        }

        try
        {
            encoder.Encode(frame, Hub);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The next frame reopens the encoder; its first picture is an IDR, so viewers resume.
            Hub.Counters.AddEncoderFailure();
            Hub.Counters.AddDropped(DropReason.EncoderError);
            LogEncoderFailed(Hub.Name, encoder.Engine, ex);
            DisposeEncoder();
        }
    }

    private bool TryOpenEncoder(out IVideoEncoder encoder)
    {
        try
        {
            encoder = _encoderFactory();
            Volatile.Write(ref _encoder, encoder);
            LogEncoderOpened(Hub.Name, encoder.Engine);
            return true;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Hub.Counters.AddEncoderFailure();
            LogEncoderFailed(Hub.Name, "(opening)", ex);
            encoder = null!;
            throw;
        }
    }

    private void DisposeEncoder()
    {
        var encoder = Interlocked.Exchange(ref _encoder, null);
        encoder?.Dispose();
    }

    private static async Task DelayQuietly(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "Stream {Stream}: source {Source} opened ({Width}x{Height} @ {Fps} fps)")]
    private partial void LogSourceOpened(string stream, string source, int width, int height, double fps);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Error, Message = "Stream {Stream}: pipeline failed; reopening in {DelaySeconds} s")]
    private partial void LogSourceFailed(string stream, double delaySeconds, Exception exception);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Stream {Stream}: encoder {Engine} opened")]
    private partial void LogEncoderOpened(string stream, string engine);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Error, Message = "Stream {Stream}: encoder {Engine} failed; it is reopened on the next frame")]
    private partial void LogEncoderFailed(string stream, string engine, Exception exception);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Stream {Stream}: stopped after {Frames} frames")]
    private partial void LogStopped(string stream, long frames);
}
