using CamStreamd.Media;
using CamStreamd.Media.H264;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Encoding;

/// <summary>
/// The engine behind <c>auto</c> and <c>passthrough</c>: H.264 frames (a camera that encodes) go
/// through a <see cref="PassthroughEncoder"/> untouched, every other frame (raw or MJPEG pictures,
/// and the I420 "NO SIGNAL" placeholder while an H.264 camera is gone) through an encoding engine.
/// Which one is used follows each frame's format, so <c>source.format</c> <c>auto</c> works whatever
/// the camera negotiates. On a switch the engine that was left is closed (a reopened encoder starts
/// with an IDR) and, going to passthrough, camera units are dropped until the camera's next IDR:
/// a decoder cannot use P slices that refer to pictures of the other engine. The same wait
/// follows a gap in the camera's frame sequence (frames the driver or a late capture dropped):
/// P slices after a lost picture would decode to garbage until the next IDR anyway.
/// </summary>
public sealed partial class FormatFollowingEncoder : IVideoEncoder
{
    private readonly string _configuredEngine;
    private readonly Func<IVideoEncoder> _openPassthrough;
    private readonly Func<IVideoEncoder> _openEncoder;
    private readonly ILogger _logger;
    private IVideoEncoder? _active;
    private bool _activeIsPassthrough;
    private bool _awaitIdr;
    private long _unitsSkipped;
    private long _lastFrameNumber = -1;
    private bool _gapLogged;
    private bool _sizeLogged;
    private bool _disposed;

    /// <summary>Creates the engine and opens the side <paramref name="startWithPassthrough"/> names.</summary>
    /// <param name="configuredEngine">The configured <c>encoder.engine</c> (reported until a frame came).</param>
    /// <param name="openPassthrough">Opens the passthrough engine.</param>
    /// <param name="openEncoder">Opens the encoding engine (for pictures that are not H.264).</param>
    /// <param name="startWithPassthrough">True when H.264 frames are expected, so the encoder is not opened needlessly.</param>
    /// <param name="logger">Logs switches.</param>
    /// <param name="size">The configured stream size: H.264 of another size is logged once (passthrough cannot scale).</param>
    public FormatFollowingEncoder(string configuredEngine, Func<IVideoEncoder> openPassthrough, Func<IVideoEncoder> openEncoder, bool startWithPassthrough, ILogger? logger = null, (int Width, int Height) size = default)
    {
        ConfiguredSize = size;
        ArgumentNullException.ThrowIfNull(configuredEngine);
        ArgumentNullException.ThrowIfNull(openPassthrough);
        ArgumentNullException.ThrowIfNull(openEncoder);
        _configuredEngine = configuredEngine;
        _openPassthrough = openPassthrough;
        _openEncoder = openEncoder;
        _logger = logger ?? NullLogger.Instance;
        Open(startWithPassthrough);
    }

    /// <summary>The configured stream size (zero when not given).</summary>
    public (int Width, int Height) ConfiguredSize { get; }

    /// <summary>The engine in use (<c>passthrough</c>, or the encoding engine's name).</summary>
    public string Engine => Volatile.Read(ref _active)?.Engine ?? _configuredEngine;

    /// <summary>H.264 frames dropped while waiting for the camera's IDR after a switch.</summary>
    public long UnitsSkipped => Interlocked.Read(ref _unitsSkipped);

    /// <inheritdoc/>
    public void RequestKeyframe() => Volatile.Read(ref _active)?.RequestKeyframe();

    /// <inheritdoc/>
    public void Encode(VideoFrame frame, IAccessUnitSink sink)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var passthrough = frame.Format == VideoPixelFormat.H264;
        if (_active is null || passthrough != _activeIsPassthrough)
        {
            var from = _active?.Engine ?? "(none)";
            Open(passthrough);
            LogSwitched(_logger, frame.Format, from, _active!.Engine);
        }

        if (passthrough)
        {
            // Only a forward jump is a gap: some drivers leave the sequence at 0, and it wraps.
            if (_lastFrameNumber >= 0 && frame.FrameNumber > _lastFrameNumber + 1 && !_awaitIdr)
            {
                _awaitIdr = true;
                if (!_gapLogged)
                {
                    _gapLogged = true;
                    LogSequenceGap(_logger, _lastFrameNumber, frame.FrameNumber);
                }
            }

            _lastFrameNumber = frame.FrameNumber;
            if (!_sizeLogged && ConfiguredSize.Width > 0 && (frame.Width, frame.Height) != ConfiguredSize)
            {
                _sizeLogged = true;
                LogPassthroughSize(_logger, frame.Width, frame.Height, ConfiguredSize.Width, ConfiguredSize.Height);
            }
        }

        if (passthrough && _awaitIdr)
        {
            // Header-only units still go in: the passthrough engine caches their SPS/PPS.
            var (idr, slice) = Inspect(frame.Payload.Span);
            if (slice && !idr)
            {
                Interlocked.Increment(ref _unitsSkipped);
                return;
            }

            _awaitIdr = !idr;
        }

        _active!.Encode(frame, sink);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _disposed = true;
        Interlocked.Exchange(ref _active, null)?.Dispose();
    }

    private void Open(bool passthrough)
    {
        Interlocked.Exchange(ref _active, null)?.Dispose();
        var opened = passthrough ? _openPassthrough() : _openEncoder();
        _activeIsPassthrough = passthrough;
        _awaitIdr = passthrough;
        _lastFrameNumber = -1;
        Volatile.Write(ref _active, opened);
    }

    private static (bool Idr, bool Slice) Inspect(ReadOnlySpan<byte> annexB)
    {
        var (idr, slice) = (false, false);
        var reader = new AnnexBReader(annexB);
        while (reader.TryReadNext(out var nal))
        {
            var type = AnnexBReader.NalType(nal);
            idr |= type == NalUnitType.IdrSlice;
            slice |= type is NalUnitType.IdrSlice or NalUnitType.NonIdrSlice;
        }

        return (idr, slice);
    }

    [LoggerMessage(EventId = 4011, Level = LogLevel.Information,
        Message = "The source now delivers {Format} frames: switching from {From} to {To}")]
    private static partial void LogSwitched(ILogger logger, VideoPixelFormat format, string from, string to);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Warning,
        Message = "passthrough: the camera's frame sequence jumped from {Last} to {Now} (frames lost); units wait for its next IDR (said once; later gaps are counted)")]
    private static partial void LogSequenceGap(ILogger logger, long last, long now);

    [LoggerMessage(EventId = 4013, Level = LogLevel.Warning,
        Message = "passthrough: the camera sends {Width}x{Height} H.264, the stream is configured for {ConfiguredWidth}x{ConfiguredHeight}; viewers get the camera's size (passthrough cannot scale)")]
    private static partial void LogPassthroughSize(ILogger logger, int width, int height, int configuredWidth, int configuredHeight);
}
