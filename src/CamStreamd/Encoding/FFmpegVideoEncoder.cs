using CamStreamd.Configuration;
using CamStreamd.Interop.FFmpeg;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Encoding;

/// <summary>
/// H.264 through one of FFmpeg's encoders: <c>rkmpp</c> (h264_rkmpp), <c>v4l2m2m</c>
/// (h264_v4l2m2m) or <c>vaapi</c> (h264_vaapi, frames uploaded to the render node's surfaces);
/// also <c>x264</c> (libx264 inside libavcodec), which the daemon no longer uses (the x264 engine
/// is <see cref="X264VideoEncoder"/>, without libavcodec) but <c>bench-encode</c> compares against. Options come from <see cref="EncoderOptionMap"/>; raw frames are copied when
/// the encoder takes their format and converted by <see cref="PictureConverter"/> otherwise.
/// SPS and PPS precede every IDR (x264 repeats them; for the others a <see cref="ParameterSetCache"/>
/// adds them when the encoder sent them apart). <see cref="Encode"/> and <see cref="Dispose"/>
/// belong to one thread; <see cref="RequestKeyframe"/> may come from any.
/// </summary>
public sealed partial class FFmpegVideoEncoder : IVideoEncoder
{
    /// <summary>The default VA-API render node.</summary>
    public const string DefaultVaapiDevice = "/dev/dri/renderD128";

    // pts -> (capture ticks, frame number) for frames in flight (hardware encoders hold a few).
    private const int PtsRingSize = 16;

    // VA-API surfaces allocated up front (the encoder's reference frames plus frames in flight).
    private const int VaapiSurfacePool = 16;

    private readonly AccessUnitPool _pool;
    private readonly ILogger _logger;
    private int _scaledWidth;
    private int _scaledHeight;
    private readonly FFmpegLayout _layout;
    private readonly AVCodecContextHandle _context;
    private readonly AVFrameHandle _frame;
    private readonly AVFrameHandle? _hwFrame;
    private readonly AVBufferRefHandle? _hwDevice;
    private readonly AVBufferRefHandle? _hwFrames;
    private readonly AVPacketHandle _packet;
    private readonly PictureConverter _converter;
    private readonly BorrowedPicture? _borrowed;
    private readonly ParameterSetCache _parameterSets = new();
    private readonly bool _pts90k;
    private readonly long[] _ringPts = new long[PtsRingSize];
    private readonly long[] _ringCapture = new long[PtsRingSize];
    private readonly long[] _ringFrameNumber = new long[PtsRingSize];
    private long _lastPts = long.MinValue;
    private long _framesEncoded;
    private long _unitsPublished;
    private long _picturesLent;
    private int _keyframeRequested;
    private bool _lendingDisabled;
    private bool _disposed;

    /// <summary>Opens <paramref name="engine"/>'s encoder with <paramref name="settings"/>; units are rented from <paramref name="pool"/>.</summary>
    /// <exception cref="FFmpegUnavailableException">FFmpeg, or this engine's encoder in it, is missing.</exception>
    /// <exception cref="FFmpegException">An option was refused, the device did not open, or the encoder did not open.</exception>
    public FFmpegVideoEncoder(string engine, EncoderSettings settings, AccessUnitPool pool, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(pool);
        settings.Validate();
        Engine = engine;
        CodecName = EncoderOptionMap.CodecName(engine);
        Settings = settings;
        _pool = pool;
        _logger = logger ?? NullLogger.Instance;
        _pts90k = engine == EncoderEngines.X264;

        var ffmpeg = FFmpegLibraries.EnsureLoaded();
        _layout = FFmpegLibraries.Layout;
        var codec = LibAvCodec.avcodec_find_encoder_by_name(CodecName);
        if (codec == 0)
        {
            throw new FFmpegUnavailableException(
                $"codec {CodecName} is not in this FFmpeg build (libavcodec {ffmpeg.AvcodecVersion}, {ffmpeg.AvcodecSoname})");
        }

        InputPixelFormat = ChooseInputFormat(engine, settings.InputFormat, _layout.CodecPixelFormats(codec));
        var isVaapi = engine == EncoderEngines.Vaapi;
        Options = EncoderOptionMap.Build(engine, settings, isVaapi ? FFmpegConstants.AV_PIX_FMT_VAAPI : InputPixelFormat);

        AVCodecContextHandle? context = null;
        AVFrameHandle? frame = null;
        AVFrameHandle? hwFrame = null;
        AVBufferRefHandle? hwDevice = null;
        AVBufferRefHandle? hwFrames = null;
        AVPacketHandle? packet = null;
        try
        {
            context = AVCodecContextHandle.Allocate(codec);
            foreach (var option in Options)
            {
                var flags = option.Private ? FFmpegConstants.AV_OPT_SEARCH_CHILDREN : 0;
                FFmpegException.ThrowIfError(LibAvUtil.av_opt_set(context, option.Name, option.Value, flags), $"av_opt_set({option.Name}={option.Value})");
            }

            if (isVaapi)
            {
                var device = settings.Device ?? DefaultVaapiDevice;
                FFmpegException.ThrowIfError(
                    LibAvUtil.av_hwdevice_ctx_create(out var deviceRef, FFmpegConstants.AV_HWDEVICE_TYPE_VAAPI, device, 0, 0),
                    $"av_hwdevice_ctx_create(vaapi, {device})");
                hwDevice = AVBufferRefHandle.Own(deviceRef, nameof(LibAvUtil.av_hwdevice_ctx_create));
                hwFrames = AVBufferRefHandle.Own(LibAvUtil.av_hwframe_ctx_alloc(hwDevice), nameof(LibAvUtil.av_hwframe_ctx_alloc));
                _layout.SetHwFramesGeometry(hwFrames.DangerousGetHandle(), FFmpegConstants.AV_PIX_FMT_VAAPI, InputPixelFormat,
                    settings.Width, settings.Height, VaapiSurfacePool);
                FFmpegException.ThrowIfError(LibAvUtil.av_hwframe_ctx_init(hwFrames), nameof(LibAvUtil.av_hwframe_ctx_init));

                // The codec context owns its own reference (avcodec_free_context unrefs it).
                var contextRef = LibAvUtil.av_buffer_ref(hwFrames);
                if (contextRef == 0)
                {
                    throw new FFmpegException(nameof(LibAvUtil.av_buffer_ref), FFmpegConstants.AVERROR_ENOMEM);
                }

                _layout.SetCodecHwFramesContext(context.DangerousGetHandle(), contextRef);
                hwFrame = AVFrameHandle.Allocate();
            }

            FFmpegException.ThrowIfError(LibAvCodec.avcodec_open2(context, codec, 0), $"avcodec_open2({CodecName})");

            frame = AVFrameHandle.Allocate();
            _layout.SetFrameGeometry(frame.DangerousGetHandle(), InputPixelFormat, settings.Width, settings.Height);
            FFmpegException.ThrowIfError(LibAvUtil.av_frame_get_buffer(frame, 0), nameof(LibAvUtil.av_frame_get_buffer));
            packet = AVPacketHandle.Allocate();
        }
        catch
        {
            packet?.Dispose();
            frame?.Dispose();
            hwFrame?.Dispose();
            context?.Dispose();
            hwFrames?.Dispose();
            hwDevice?.Dispose();
            throw;
        }

        _context = context;
        _frame = frame;
        _hwFrame = hwFrame;
        _hwDevice = hwDevice;
        _hwFrames = hwFrames;
        _packet = packet;
        _converter = new PictureConverter(_layout, settings.Width, settings.Height, InputPixelFormat);

        // libx264 copies the picture inside avcodec_send_frame; the hardware wrappers may queue it.
        _borrowed = engine == EncoderEngines.X264 ? new BorrowedPicture(_layout) : null;
        LogOpened(_logger, engine, CodecName, settings.Width, settings.Height, settings.Fps, settings.Bitrate, settings.RateControl,
            settings.Gop, settings.Profile, EncoderOptionMap.PixelFormatName(InputPixelFormat), ffmpeg.AvcodecVersion, ffmpeg.AvcodecSoname);
    }

    /// <inheritdoc/>
    public string Engine { get; }

    /// <summary>The FFmpeg encoder (<c>libx264</c>, <c>h264_rkmpp</c>, ...).</summary>
    public string CodecName { get; }

    /// <summary>The settings the encoder was opened with.</summary>
    public EncoderSettings Settings { get; }

    /// <summary>The options that were handed to FFmpeg, in order.</summary>
    public IReadOnlyList<CodecOption> Options { get; }

    /// <summary>The AVPixelFormat of the raw pictures fed to the encoder (uploaded to VA-API surfaces for vaapi).</summary>
    public int InputPixelFormat { get; }

    /// <summary>Frames passed to <see cref="Encode"/>.</summary>
    public long FramesEncoded => Interlocked.Read(ref _framesEncoded);

    /// <summary>Access units handed to sinks.</summary>
    public long UnitsPublished => Interlocked.Read(ref _unitsPublished);

    /// <summary>Pictures handed to the encoder in the capture's own memory, without a copy (x264, matching format and size).</summary>
    public long PicturesLent => Interlocked.Read(ref _picturesLent);

    /// <summary>Frames that went through libswscale (or the MJPEG decoder) rather than a plain copy.</summary>
    public long Conversions => _converter.Conversions;

    /// <inheritdoc/>
    public void RequestKeyframe() => Interlocked.Exchange(ref _keyframeRequested, 1);

    /// <summary>
    /// The format the encoder is opened with: the capture format when the codec lists it (or, for
    /// v4l2m2m, whose list depends on the device, when it is one of the two every M2M encoder
    /// takes); otherwise NV12 for the hardware engines and yuv420p for x264. VA-API uploads NV12.
    /// </summary>
    internal static int ChooseInputFormat(string engine, VideoPixelFormat captureFormat, IReadOnlyList<int> codecFormats)
    {
        var native = PictureConverter.ToAvPixelFormat(captureFormat);
        if (engine == EncoderEngines.Vaapi)
        {
            return FFmpegConstants.AV_PIX_FMT_NV12;
        }

        if (engine == EncoderEngines.V4l2m2m && codecFormats.Count == 0)
        {
            return native is FFmpegConstants.AV_PIX_FMT_YUV420P or FFmpegConstants.AV_PIX_FMT_NV12 ? native : FFmpegConstants.AV_PIX_FMT_NV12;
        }

        if (native != FFmpegConstants.AV_PIX_FMT_NONE && codecFormats.Contains(native))
        {
            return native;
        }

        var preferred = engine == EncoderEngines.X264 ? FFmpegConstants.AV_PIX_FMT_YUV420P : FFmpegConstants.AV_PIX_FMT_NV12;
        return codecFormats.Count == 0 || codecFormats.Contains(preferred) ? preferred : FFmpegConstants.AV_PIX_FMT_YUV420P;
    }

    /// <inheritdoc/>
    public void Encode(VideoFrame frame, IAccessUnitSink sink)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((frame.Width != Settings.Width || frame.Height != Settings.Height)
            && (frame.Width != _scaledWidth || frame.Height != _scaledHeight))
        {
            // Said once per size: the camera gave another size than configured; swscale scales it.
            (_scaledWidth, _scaledHeight) = (frame.Width, frame.Height);
            LogScaling(_logger, Engine, frame.Width, frame.Height, Settings.Width, Settings.Height);
        }

        var lend = _borrowed is not null && !_lendingDisabled && BorrowedPicture.CanLend(frame, InputPixelFormat, Settings.Width, Settings.Height);
        if (lend)
        {
            _borrowed!.Lend(frame, InputPixelFormat);
        }
        else
        {
            // A no-op unless the encoder still references the buffers (libx264 copies on input).
            FFmpegException.ThrowIfError(LibAvUtil.av_frame_make_writable(_frame), nameof(LibAvUtil.av_frame_make_writable));
            _converter.Write(frame, _frame.DangerousGetHandle());
        }

        // x264: the 90 kHz capture time, strictly increasing. Hardware: frame count at 1/fps.
        var pts = _pts90k ? AccessUnit.TicksTo90k(frame.CaptureTimestamp) : _framesEncoded;
        if (pts <= _lastPts)
        {
            pts = _lastPts + 1;
        }

        _lastPts = pts;

        // pict_type I: libx264 (forced-idr=1) and h264_vaapi make an IDR, h264_rkmpp calls
        // MPP_ENC_SET_IDR_FRAME, h264_v4l2m2m sets V4L2_CID_MPEG_VIDEO_FORCE_KEY_FRAME.
        var forceIdr = Interlocked.Exchange(ref _keyframeRequested, 0) != 0;
        var pictType = forceIdr ? FFmpegConstants.AV_PICTURE_TYPE_I : FFmpegConstants.AV_PICTURE_TYPE_NONE;

        var slot = (int)(_framesEncoded % PtsRingSize);
        _ringPts[slot] = pts;
        _ringCapture[slot] = frame.CaptureTimestamp;
        _ringFrameNumber[slot] = frame.FrameNumber;

        var toSend = lend ? _borrowed!.Frame : _frame;
        if (_hwFrame is not null)
        {
            LibAvUtil.av_frame_unref(_hwFrame);
            FFmpegException.ThrowIfError(LibAvUtil.av_hwframe_get_buffer(_hwFrames!, _hwFrame, 0), nameof(LibAvUtil.av_hwframe_get_buffer));
            FFmpegException.ThrowIfError(LibAvUtil.av_hwframe_transfer_data(_hwFrame, _frame, 0), nameof(LibAvUtil.av_hwframe_transfer_data));
            toSend = _hwFrame;
        }

        _layout.SetFramePts(toSend.DangerousGetHandle(), pts);
        _layout.SetFramePictType(toSend.DangerousGetHandle(), pictType);
        try
        {
            FFmpegException.ThrowIfError(LibAvCodec.avcodec_send_frame(_context, toSend), nameof(LibAvCodec.avcodec_send_frame));
            Interlocked.Increment(ref _framesEncoded);
            Drain(sink);
        }
        finally
        {
            if (lend)
            {
                ReturnBorrowed();
            }
        }
    }

    /// <summary>Frees the codec context, frames, packet and hardware contexts (no flush: pending pictures are dropped).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _converter.Dispose();
        _packet.Dispose();
        _frame.Dispose();
        _hwFrame?.Dispose();
        _context.Dispose();

        // After the context: a picture the encoder still held stays pinned until now.
        _borrowed?.Dispose();
        _hwFrames?.Dispose();
        _hwDevice?.Dispose();
    }

    private void ReturnBorrowed()
    {
        if (_borrowed!.Return())
        {
            Interlocked.Increment(ref _picturesLent);
            return;
        }

        // Not expected from libx264 (it copies the picture); if a build ever keeps it, stop lending.
        _lendingDisabled = true;
        LogStillReferenced(_logger, Engine, CodecName);
    }

    private unsafe void Drain(IAccessUnitSink sink)
    {
        while (true)
        {
            var result = LibAvCodec.avcodec_receive_packet(_context, _packet);
            if (result is FFmpegConstants.AVERROR_EAGAIN or FFmpegConstants.AVERROR_EOF)
            {
                return;
            }

            FFmpegException.ThrowIfError(result, nameof(LibAvCodec.avcodec_receive_packet));
            AccessUnit? unit = null;
            try
            {
                var packet = _packet.DangerousGetHandle();
                var size = _layout.PacketSize(packet);
                unit = _pool.Rent();
                var content = _parameterSets.Write(new ReadOnlySpan<byte>(_layout.PacketData(packet), size), unit);
                if (!content.HasSlice)
                {
                    // Parameter sets sent apart (v4l2m2m header mode): cached, put before the next IDR.
                    unit.Release();
                    continue;
                }

                var isKeyframe = content.HasIdr || (_layout.PacketFlags(packet) & FFmpegConstants.AV_PKT_FLAG_KEY) != 0;
                var (capture, frameNumber) = Lookup(_layout.PacketPts(packet));
                unit.SetMetadata(capture, isKeyframe, frameNumber);
            }
            catch
            {
                unit?.Release();
                throw;
            }
            finally
            {
                LibAvCodec.av_packet_unref(_packet);
            }

            Interlocked.Increment(ref _unitsPublished);
            sink.Publish(unit);
        }
    }

    private (long Capture, long FrameNumber) Lookup(long pts)
    {
        for (var i = 0; i < PtsRingSize; i++)
        {
            if (_ringPts[i] == pts)
            {
                return (_ringCapture[i], _ringFrameNumber[i]);
            }
        }

        // Not expected without B-frames; fall back to the newest frame rather than fail.
        var newest = (int)((_framesEncoded - 1) % PtsRingSize);
        return (_ringCapture[newest], _ringFrameNumber[newest]);
    }

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning,
        Message = "{Engine} encoder ({Codec}) still holds a picture after encoding it; pictures are copied from now on")]
    private static partial void LogStillReferenced(ILogger logger, string engine, string codec);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning,
        Message = "{Engine} encoder: the source delivers {SourceWidth}x{SourceHeight}, the stream is {Width}x{Height}; pictures are scaled (set source.width/height to a size the camera offers to avoid it)")]
    private static partial void LogScaling(ILogger logger, string engine, int sourceWidth, int sourceHeight, int width, int height);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "{Engine} encoder opened ({Codec}): {Width}x{Height} at {Fps} fps, {Bitrate} bit/s {RateControl}, GOP {Gop}, profile {Profile}, input {PixelFormat}, libavcodec {AvcodecVersion} ({Soname})")]
    private static partial void LogOpened(ILogger logger, string engine, string codec, int width, int height, int fps, long bitrate,
        string rateControl, int gop, string profile, string pixelFormat, string avcodecVersion, string soname);
}
