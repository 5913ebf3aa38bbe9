using CamStreamd.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Capture;

/// <summary>
/// A camera that never ends the stream: while the camera (a <see cref="V4l2Source"/>) is missing
/// or lost, frames come from a "NO SIGNAL" placeholder of the stream's size and rate (I420), the
/// camera is reopened with backoff (1 s doubling to 10 s), and real frames resume by themselves.
/// A camera missing at start behaves the same. <see cref="StreamState.NoSignal"/> is reported
/// while the placeholder runs, <see cref="StreamState.Running"/> when the camera is back.
/// </summary>
public sealed partial class ResilientCameraSource : IVideoSource
{
    /// <summary>First wait before reopening the camera.</summary>
    public static readonly TimeSpan InitialRetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between reopen attempts.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly Func<IVideoSource> _openCamera;
    private readonly string _device;
    private readonly Action<StreamState>? _stateChanged;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Func<bool> _deviceExists;
    private bool _deviceExistedAtLastAttempt = true;
    private IVideoSource? _camera;
    private TestPatternSource? _placeholder;
    private TimeSpan _retryDelay = InitialRetryDelay;
    private long _nextAttempt;
    private long _reopens;
    private bool _disposed;

    /// <summary>Creates the source; the camera is first opened by the first read.</summary>
    /// <param name="openCamera">Opens the camera (throws when it is missing or unusable).</param>
    /// <param name="device">The device, for logs.</param>
    /// <param name="width">Stream width (the placeholder's).</param>
    /// <param name="height">Stream height.</param>
    /// <param name="fps">Stream rate.</param>
    /// <param name="stateChanged">Told <see cref="StreamState.NoSignal"/> and <see cref="StreamState.Running"/>.</param>
    /// <param name="logger">Logger.</param>
    /// <param name="timeProvider">Clock for the placeholder and the backoff.</param>
    /// <param name="deviceExists">Whether the device node exists now (default: <see cref="File.Exists"/>); a node that reappears is opened at once, before the backoff ends.</param>
    public ResilientCameraSource(
        Func<IVideoSource> openCamera,
        string device,
        int width,
        int height,
        double fps,
        Action<StreamState>? stateChanged = null,
        ILogger? logger = null,
        TimeProvider? timeProvider = null,
        Func<bool>? deviceExists = null)
    {
        ArgumentNullException.ThrowIfNull(openCamera);
        _openCamera = openCamera;
        _device = device;
        Width = width;
        Height = height;
        Fps = fps;
        _stateChanged = stateChanged;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _nextAttempt = _time.GetTimestamp();
        _deviceExists = deviceExists ?? (() => File.Exists(device));
    }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public double Fps { get; }

    /// <summary>True while the placeholder runs.</summary>
    public bool NoSignal => _placeholder is not null;

    /// <summary>Times the camera was (re)opened.</summary>
    public long CameraOpens => Interlocked.Read(ref _reopens);

    /// <inheritdoc/>
    public async ValueTask<VideoFrame> ReadFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_camera is null && (_time.GetTimestamp() >= _nextAttempt || Reappeared()))
        {
            await TryOpenCameraAsync().ConfigureAwait(false);
        }

        if (_camera is not null)
        {
            try
            {
                var frame = await _camera.ReadFrameAsync(cancellationToken).ConfigureAwait(false);
                return frame;
            }
            catch (Exception e) when (e is IOException or CameraConfigurationException or ArgumentException)
            {
                // CameraLostException, LibcException (both IOException), a frame that cannot be used.
                LogCameraLost(_logger, _device, InitialRetryDelay.TotalSeconds, e.Message);
                await CloseCameraAsync().ConfigureAwait(false);
                _retryDelay = InitialRetryDelay;
                _nextAttempt = _time.GetTimestamp() + ToTicks(InitialRetryDelay);
            }
        }

        if (_placeholder is null)
        {
            // No skip warnings from the placeholder: a slow machine is not news while the camera is gone.
            _placeholder = new TestPatternSource(Width, Height, Fps, NoSignalRenderer.Render, _time, logger: null);
            _stateChanged?.Invoke(StreamState.NoSignal);
        }

        return await _placeholder.ReadFrameAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await CloseCameraAsync().ConfigureAwait(false);
        if (_placeholder is not null)
        {
            await _placeholder.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>True when the node was missing at the last attempt and exists now (a camera plugged back in).</summary>
    private bool Reappeared() => !_deviceExistedAtLastAttempt && _deviceExists();

    private async ValueTask TryOpenCameraAsync()
    {
        _deviceExistedAtLastAttempt = _deviceExists();
        try
        {
            _camera = _openCamera();
            Interlocked.Increment(ref _reopens);
            _retryDelay = InitialRetryDelay;
            if (_placeholder is not null)
            {
                LogCameraBack(_logger, _device);
                await _placeholder.DisposeAsync().ConfigureAwait(false);
                _placeholder = null;
            }

            _stateChanged?.Invoke(StreamState.Running);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogCameraUnavailable(_logger, _device, _retryDelay.TotalSeconds, e.Message);
            _nextAttempt = _time.GetTimestamp() + ToTicks(_retryDelay);
            _retryDelay = TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private async ValueTask CloseCameraAsync()
    {
        var camera = _camera;
        _camera = null;
        if (camera is not null)
        {
            await camera.DisposeAsync().ConfigureAwait(false);
        }
    }

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    [LoggerMessage(EventId = 3210, Level = LogLevel.Warning, Message = "Camera {Device} unavailable ({Reason}); streaming NO SIGNAL, retrying in {DelaySeconds} s")]
    private static partial void LogCameraUnavailable(ILogger logger, string device, double delaySeconds, string reason);

    [LoggerMessage(EventId = 3211, Level = LogLevel.Warning, Message = "Camera {Device} lost ({Reason}); streaming NO SIGNAL, reopening in {DelaySeconds} s")]
    private static partial void LogCameraLost(ILogger logger, string device, double delaySeconds, string reason);

    [LoggerMessage(EventId = 3212, Level = LogLevel.Information, Message = "Camera {Device} is back; real frames resume")]
    private static partial void LogCameraBack(ILogger logger, string device);
}
