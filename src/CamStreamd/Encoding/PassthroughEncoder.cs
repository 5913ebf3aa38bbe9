using CamStreamd.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Encoding;

/// <summary>
/// The <c>passthrough</c> engine: the source already delivers H.264 (one Annex-B access unit per
/// <see cref="VideoPixelFormat.H264"/> frame, e.g. a UVC camera's H264 format). NAL units are
/// published untouched with the frame's own timestamp and number; an IDR that lacks SPS/PPS gets
/// the last ones seen prepended, and units with only parameter sets are cached rather than
/// published. <see cref="RequestKeyframe"/> cannot force the camera: it is counted and logged once.
/// </summary>
public sealed partial class PassthroughEncoder : IVideoEncoder
{
    /// <summary>The engine's config name.</summary>
    public const string EngineName = "passthrough";

    private readonly AccessUnitPool _pool;
    private readonly ILogger _logger;
    private readonly ParameterSetCache _parameterSets = new();
    private long _framesEncoded;
    private long _unitsPublished;
    private long _keyframeRequests;
    private bool _disposed;

    /// <summary>Creates the engine; units are rented from <paramref name="pool"/>.</summary>
    public PassthroughEncoder(AccessUnitPool pool, ILogger<PassthroughEncoder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _pool = pool;
        _logger = logger ?? NullLogger<PassthroughEncoder>.Instance;
    }

    /// <inheritdoc/>
    public string Engine => EngineName;

    /// <summary>Frames passed to <see cref="Encode"/>.</summary>
    public long FramesEncoded => Interlocked.Read(ref _framesEncoded);

    /// <summary>Access units handed to sinks.</summary>
    public long UnitsPublished => Interlocked.Read(ref _unitsPublished);

    /// <summary>Keyframe requests received (the camera decides when IDRs come).</summary>
    public long KeyframeRequests => Interlocked.Read(ref _keyframeRequests);

    /// <inheritdoc/>
    public void RequestKeyframe()
    {
        if (Interlocked.Increment(ref _keyframeRequests) == 1)
        {
            LogCannotForceIdr(_logger);
        }
    }

    /// <inheritdoc/>
    public void Encode(VideoFrame frame, IAccessUnitSink sink)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (frame.Format != VideoPixelFormat.H264)
        {
            throw new ArgumentException($"the passthrough engine takes H.264 frames, got {frame.Format}; choose an encoding engine (x264, auto, ...)", nameof(frame));
        }

        Interlocked.Increment(ref _framesEncoded);
        var unit = _pool.Rent();
        var content = _parameterSets.Write(frame.Payload.Span, unit);
        if (!content.HasSlice)
        {
            // Headers alone (or an empty buffer): cached above, published in front of the next IDR.
            unit.Release();
            return;
        }

        unit.SetMetadata(frame.CaptureTimestamp, content.HasIdr, frame.FrameNumber);
        Interlocked.Increment(ref _unitsPublished);
        sink.Publish(unit);
    }

    /// <inheritdoc/>
    public void Dispose() => _disposed = true;

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information,
        Message = "passthrough: an IDR was requested; passthrough cannot make one: a camera sends its next at its GOP setting, a relayed RTSP upstream is asked with an RTCP PLI")]
    private static partial void LogCannotForceIdr(ILogger logger);
}
