using CamStreamd.Configuration;
using CamStreamd.Interop.X264;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Encoding;

/// <summary>
/// H.264 with libx264 called directly (<see cref="Interop.X264"/>), the <c>x264</c> engine: no
/// libavcodec in the process for an I420 source, which saves the 14.5 MiB of RSS that loading
/// libavcodec and its ~95 dependencies costs. An I420 picture at the stream's size is handed to
/// x264_encoder_encode in the capture's own memory (pinned for the call; x264 copies it into its
/// own frame before returning); other frames go through <see cref="I420Staging"/> (libswscale,
/// the MJPEG decoder), made on first need. x264 writes SPS and PPS before every IDR
/// (repeat-headers). <see cref="Encode"/> and <see cref="Dispose"/> belong to one thread;
/// <see cref="RequestKeyframe"/> may come from any. Nothing is allocated per frame.
/// </summary>
public sealed partial class X264VideoEncoder : IVideoEncoder
{
    // pts -> (capture ticks, frame number) for pictures in flight (none with zerolatency's sliced
    // threads; frame threads would hold threads - 1).
    private const int PtsRingSize = 16;

    private readonly AccessUnitPool _pool;
    private readonly ILogger _logger;
    private readonly X264EncoderHandle _encoder;
    private readonly X264Picture _pictureIn;
    private readonly X264Picture _pictureOut;
    private readonly ParameterSetCache _parameterSets = new();
    private readonly long[] _ringPts = new long[PtsRingSize];
    private readonly long[] _ringCapture = new long[PtsRingSize];
    private readonly long[] _ringFrameNumber = new long[PtsRingSize];
    private I420Staging? _staging;
    private int _scaledWidth;
    private int _scaledHeight;
    private long _framesEncoded;
    private long _unitsPublished;
    private long _picturesLent;
    private int _keyframeRequested;
    private bool _disposed;

    /// <summary>Opens libx264 with <paramref name="settings"/>; units are rented from <paramref name="pool"/>.</summary>
    /// <exception cref="X264UnavailableException">libx264.so.164 is missing.</exception>
    /// <exception cref="X264Exception">x264 refused an option (the exception names it) or did not open.</exception>
    public X264VideoEncoder(EncoderSettings settings, AccessUnitPool pool, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(pool);
        settings.Validate();
        Settings = settings;
        _pool = pool;
        _logger = logger ?? NullLogger.Instance;
        Options = X264OptionMap.Build(settings);

        X264Picture? pictureIn = null;
        X264Picture? pictureOut = null;
        try
        {
            using (var parameters = X264Parameters.Create(settings.Preset, X264OptionMap.Tune))
            {
                parameters.SetPicture(settings.Width, settings.Height, X264Constants.X264_CSP_I420);
                foreach (var option in Options)
                {
                    parameters.Set(option.Name, option.Value);
                }

                parameters.ApplyProfile(settings.Profile);
                _encoder = X264EncoderHandle.Open(parameters);
            }

            pictureIn = new X264Picture();
            pictureOut = new X264Picture();
        }
        catch
        {
            pictureIn?.Dispose();
            pictureOut?.Dispose();
            _encoder?.Dispose();
            throw;
        }

        _pictureIn = pictureIn;
        _pictureOut = pictureOut;
        LogOpened(_logger, settings.Width, settings.Height, settings.Fps, settings.Bitrate, settings.RateControl, settings.Gop,
            settings.Profile, settings.Preset, settings.EffectiveThreads, X264Constants.Soname);
    }

    /// <inheritdoc/>
    public string Engine => EncoderEngines.X264;

    /// <summary>The settings the encoder was opened with.</summary>
    public EncoderSettings Settings { get; }

    /// <summary>The x264 options that were parsed, in order (preset, tune and profile apart).</summary>
    public IReadOnlyList<CodecOption> Options { get; }

    /// <summary>Frames passed to <see cref="Encode"/>.</summary>
    public long FramesEncoded => Interlocked.Read(ref _framesEncoded);

    /// <summary>Access units handed to sinks.</summary>
    public long UnitsPublished => Interlocked.Read(ref _unitsPublished);

    /// <summary>Pictures handed to x264 in the capture's own memory (I420 at the stream's size).</summary>
    public long PicturesLent => Interlocked.Read(ref _picturesLent);

    /// <summary>Frames that went through libswscale or the MJPEG decoder first.</summary>
    public long Conversions => _staging?.Conversions ?? 0;

    /// <inheritdoc/>
    public void RequestKeyframe() => Interlocked.Exchange(ref _keyframeRequested, 1);

    /// <inheritdoc/>
    public unsafe void Encode(VideoFrame frame, IAccessUnitSink sink)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var direct = frame.Format == VideoPixelFormat.I420 && frame.Width == Settings.Width && frame.Height == Settings.Height;
        if (direct)
        {
            fixed (byte* y = frame.GetPlane(0).Span)
            fixed (byte* u = frame.GetPlane(1).Span)
            fixed (byte* v = frame.GetPlane(2).Span)
            {
                _pictureIn.SetI420(y, frame.GetStride(0), u, frame.GetStride(1), v, frame.GetStride(2));
                try
                {
                    EncodeCore(frame, sink);
                }
                finally
                {
                    _pictureIn.ClearPlanes();
                }
            }

            Interlocked.Increment(ref _picturesLent);
            return;
        }

        if (frame.Format == VideoPixelFormat.H264)
        {
            throw new ArgumentException($"{frame.Format} frames cannot be encoded (use the passthrough engine for H.264 sources)", nameof(frame));
        }

        if (!frame.IsCompressed && (frame.Width, frame.Height) != (Settings.Width, Settings.Height)
            && (frame.Width, frame.Height) != (_scaledWidth, _scaledHeight))
        {
            // Said once per size: the camera gave another size than configured; swscale scales it.
            (_scaledWidth, _scaledHeight) = (frame.Width, frame.Height);
            LogScaling(_logger, frame.Width, frame.Height, Settings.Width, Settings.Height);
        }

        _staging ??= new I420Staging(Settings.Width, Settings.Height);
        _staging.Write(frame);
        _pictureIn.SetI420(_staging.Plane(0), _staging.Stride(0), _staging.Plane(1), _staging.Stride(1), _staging.Plane(2), _staging.Stride(2));
        EncodeCore(frame, sink);
    }

    /// <summary>Closes the encoder (no flush: pictures still in flight are dropped) and frees the pictures.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _encoder.Dispose();
        _pictureIn.Dispose();
        _pictureOut.Dispose();
        _staging?.Dispose();
    }

    private unsafe void EncodeCore(VideoFrame frame, IAccessUnitSink sink)
    {
        // pts counts frames: under zerolatency (b_vfr_input 0) x264 times frames by fps, not pts.
        var pts = _framesEncoded;
        var slot = (int)(pts % PtsRingSize);
        _ringPts[slot] = pts;
        _ringCapture[slot] = frame.CaptureTimestamp;
        _ringFrameNumber[slot] = frame.FrameNumber;
        _pictureIn.Pts = pts;
        _pictureIn.Type = Interlocked.Exchange(ref _keyframeRequested, 0) != 0 ? X264Constants.X264_TYPE_IDR : X264Constants.X264_TYPE_AUTO;

        nint nals;
        int nalCount;
        var size = LibX264.EncoderEncode(_encoder, &nals, &nalCount, _pictureIn.Address, _pictureOut.Address);
        Interlocked.Increment(ref _framesEncoded);
        if (size < 0)
        {
            throw new X264Exception($"x264_encoder_encode failed ({size}) on frame {frame.FrameNumber}");
        }

        if (size == 0 || nalCount == 0)
        {
            return;
        }

        // With annexb the NAL units of one picture lie back to back from the first one's payload.
        var payload = *(byte**)(nals + X264Constants.NalPayloadOffset);
        AccessUnit? unit = null;
        try
        {
            unit = _pool.Rent();
            var content = _parameterSets.Write(new ReadOnlySpan<byte>(payload, size), unit);
            var (capture, frameNumber) = Lookup(_pictureOut.Pts);
            unit.SetMetadata(capture, content.HasIdr || _pictureOut.IsKeyframe, frameNumber);
        }
        catch
        {
            unit?.Release();
            throw;
        }

        Interlocked.Increment(ref _unitsPublished);
        sink.Publish(unit);
    }

    private (long Capture, long FrameNumber) Lookup(long pts)
    {
        var slot = (int)(pts % PtsRingSize);
        if (pts >= 0 && _ringPts[slot] == pts)
        {
            return (_ringCapture[slot], _ringFrameNumber[slot]);
        }

        // Not expected without B-frames; fall back to the newest frame rather than fail.
        var newest = (int)((_framesEncoded - 1) % PtsRingSize);
        return (_ringCapture[newest], _ringFrameNumber[newest]);
    }

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "x264 encoder: the source delivers {SourceWidth}x{SourceHeight}, the stream is {Width}x{Height}; pictures are scaled (set source.width/height to a size the camera offers to avoid it)")]
    private static partial void LogScaling(ILogger logger, int sourceWidth, int sourceHeight, int width, int height);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information,
        Message = "x264 encoder opened (libx264 direct): {Width}x{Height} at {Fps} fps, {Bitrate} bit/s {RateControl}, GOP {Gop}, profile {Profile}, preset {Preset}, {Threads} threads, input I420 ({Soname})")]
    private static partial void LogOpened(ILogger logger, int width, int height, int fps, long bitrate,
        string rateControl, int gop, string profile, string preset, int threads, string soname);
}
