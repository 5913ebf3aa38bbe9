using System.Globalization;
using CamStreamd.Interop.FFmpeg;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Encoding;

/// <summary>
/// Software H.264 through FFmpeg's libx264 wrapper: I420 in, Annex-B access units out, one per
/// frame (tune zerolatency: no B-frames, no lookahead, slice threads). SPS and PPS precede every
/// IDR because the context is opened without <c>AV_CODEC_FLAG_GLOBAL_HEADER</c>, so x264 keeps
/// <c>repeat-headers</c> on. <see cref="Encode"/> and <see cref="Dispose"/> belong to one thread;
/// <see cref="RequestKeyframe"/> may come from any.
/// </summary>
public sealed partial class X264Encoder : IVideoEncoder
{
    /// <summary>The engine's config name.</summary>
    public const string EngineName = "x264";

    private const string CodecName = "libx264";

    // pts -> (capture ticks, frame number) for frames in flight; zerolatency keeps at most one.
    private const int PtsRingSize = 16;

    private readonly AccessUnitPool _pool;
    private readonly ILogger<X264Encoder> _logger;
    private readonly FFmpegLayout _layout;
    private readonly AVCodecContextHandle _context;
    private readonly AVFrameHandle _frame;
    private readonly AVPacketHandle _packet;
    private readonly long[] _ringPts = new long[PtsRingSize];
    private readonly long[] _ringCapture = new long[PtsRingSize];
    private readonly long[] _ringFrameNumber = new long[PtsRingSize];
    private long _lastPts = long.MinValue;
    private long _framesEncoded;
    private long _unitsPublished;
    private int _keyframeRequested;
    private bool _disposed;

    /// <summary>Opens libx264 with <paramref name="settings"/>; units are rented from <paramref name="pool"/>.</summary>
    /// <exception cref="FFmpegUnavailableException">FFmpeg or its libx264 encoder is missing.</exception>
    /// <exception cref="FFmpegException">An option was refused or the encoder did not open.</exception>
    public X264Encoder(EncoderSettings settings, AccessUnitPool pool, ILogger<X264Encoder>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(pool);
        settings.Validate();
        Settings = settings;
        _pool = pool;
        _logger = logger ?? NullLogger<X264Encoder>.Instance;

        var ffmpeg = FFmpegLibraries.EnsureLoaded();
        _layout = FFmpegLibraries.Layout;
        var codec = LibAvCodec.avcodec_find_encoder_by_name(CodecName);
        if (codec == 0)
        {
            throw new FFmpegUnavailableException(
                $"libavcodec {ffmpeg.AvcodecVersion} has no {CodecName} encoder: install Debian's {ffmpeg.AvcodecSoname.Replace(".so.", string.Empty, StringComparison.Ordinal)} (built with libx264) or choose another engine");
        }

        AVCodecContextHandle? context = null;
        AVFrameHandle? frame = null;
        AVPacketHandle? packet = null;
        try
        {
            context = AVCodecContextHandle.Allocate(codec);
            Configure(context, settings);
            FFmpegException.ThrowIfError(LibAvCodec.avcodec_open2(context, codec, 0), nameof(LibAvCodec.avcodec_open2));

            frame = AVFrameHandle.Allocate();
            _layout.SetFrameGeometry(frame.DangerousGetHandle(), FFmpegConstants.AV_PIX_FMT_YUV420P, settings.Width, settings.Height);
            FFmpegException.ThrowIfError(LibAvUtil.av_frame_get_buffer(frame, 0), nameof(LibAvUtil.av_frame_get_buffer));

            packet = AVPacketHandle.Allocate();
        }
        catch
        {
            packet?.Dispose();
            frame?.Dispose();
            context?.Dispose();
            throw;
        }

        _context = context;
        _frame = frame;
        _packet = packet;
        LogOpened(_logger, settings.Width, settings.Height, settings.Fps, settings.Bitrate, settings.Gop, settings.Profile,
            settings.Preset, settings.EffectiveThreads, ffmpeg.AvcodecVersion, ffmpeg.AvcodecSoname);
    }

    /// <inheritdoc/>
    public string Engine => EngineName;

    /// <summary>The settings the encoder was opened with.</summary>
    public EncoderSettings Settings { get; }

    /// <summary>Frames passed to <see cref="Encode"/>.</summary>
    public long FramesEncoded => Interlocked.Read(ref _framesEncoded);

    /// <summary>Access units handed to sinks.</summary>
    public long UnitsPublished => Interlocked.Read(ref _unitsPublished);

    /// <inheritdoc/>
    public void RequestKeyframe() => Interlocked.Exchange(ref _keyframeRequested, 1);

    /// <inheritdoc/>
    public unsafe void Encode(VideoFrame frame, IAccessUnitSink sink)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(sink);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (frame.Width != Settings.Width || frame.Height != Settings.Height)
        {
            ThrowSizeMismatch(frame);
        }

        if (frame.Format != VideoPixelFormat.I420 || frame.GetStride(0) != frame.Width)
        {
            throw new ArgumentException($"x264 takes tightly packed I420 frames, got {frame.Format} (stride {frame.GetStride(0)})", nameof(frame));
        }

        // A no-op unless the encoder still references the buffers (libx264 copies on input).
        FFmpegException.ThrowIfError(LibAvUtil.av_frame_make_writable(_frame), nameof(LibAvUtil.av_frame_make_writable));
        var avFrame = _frame.DangerousGetHandle();
        CopyPlane(frame.Y, frame.Width, frame.Height, _layout.FrameData(avFrame, 0), _layout.FrameLinesize(avFrame, 0));
        CopyPlane(frame.U, frame.ChromaWidth, frame.ChromaHeight, _layout.FrameData(avFrame, 1), _layout.FrameLinesize(avFrame, 1));
        CopyPlane(frame.V, frame.ChromaWidth, frame.ChromaHeight, _layout.FrameData(avFrame, 2), _layout.FrameLinesize(avFrame, 2));

        // The time base is 1/90000, so pts is the capture time on the RTP clock; x264 wants it strictly increasing.
        var pts = AccessUnit.TicksTo90k(frame.CaptureTimestamp);
        if (pts <= _lastPts)
        {
            pts = _lastPts + 1;
        }

        _lastPts = pts;
        _layout.SetFramePts(avFrame, pts);

        // With forced-idr=1, libx264 turns AV_PICTURE_TYPE_I into an IDR; NONE lets x264 decide.
        var forceIdr = Interlocked.Exchange(ref _keyframeRequested, 0) != 0;
        _layout.SetFramePictType(avFrame, forceIdr ? FFmpegConstants.AV_PICTURE_TYPE_I : FFmpegConstants.AV_PICTURE_TYPE_NONE);

        var slot = (int)(_framesEncoded % PtsRingSize);
        _ringPts[slot] = pts;
        _ringCapture[slot] = frame.CaptureTimestamp;
        _ringFrameNumber[slot] = frame.FrameNumber;

        FFmpegException.ThrowIfError(LibAvCodec.avcodec_send_frame(_context, _frame), nameof(LibAvCodec.avcodec_send_frame));
        Interlocked.Increment(ref _framesEncoded);
        Drain(sink);
    }

    /// <summary>Frees the codec context, frame and packet (no flush: pending pictures are dropped).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _packet.Dispose();
        _frame.Dispose();
        _context.Dispose();
    }

    private static void Configure(AVCodecContextHandle context, EncoderSettings settings)
    {
        var invariant = CultureInfo.InvariantCulture;

        // AVCodecContext options (libavcodec options_table.h), not struct offsets.
        SetString(context, "video_size", string.Create(invariant, $"{settings.Width}x{settings.Height}"), 0);
        SetString(context, "pixel_format", "yuv420p", 0);
        SetRational(context, "time_base", new AVRational(1, AccessUnit.ClockRate));
        SetInt(context, "b", settings.Bitrate, 0);
        SetInt(context, "maxrate", settings.Bitrate, 0);
        SetInt(context, "bufsize", settings.Bitrate, 0);
        SetInt(context, "g", settings.Gop, 0);
        SetInt(context, "bf", 0, 0);
        SetInt(context, "threads", settings.EffectiveThreads, 0);

        // libx264's private options (found through AV_OPT_SEARCH_CHILDREN).
        const int Children = FFmpegConstants.AV_OPT_SEARCH_CHILDREN;
        SetString(context, "preset", settings.Preset, Children);
        SetString(context, "tune", "zerolatency", Children);
        SetString(context, "profile", settings.Profile, Children);
        SetInt(context, "forced-idr", 1, Children);

        // x264's profile is only a ceiling: ultrafast turns CABAC and the 8x8 transform off, which
        // would make every stream Constrained Baseline. Turn on what the configured profile names,
        // so the SPS (and the SDP built from it) says what the user asked for.
        if (settings.Profile is "main" or "high")
        {
            SetInt(context, "coder", 1, Children);
        }

        if (settings.Profile is "high")
        {
            SetInt(context, "8x8dct", 1, Children);
        }

        // 0 disables scene-cut IDRs: keyframes come every Gop frames or on request, nothing else.
        SetInt(context, "sc_threshold", 0, Children);

        // AVCodecContext.framerate is a struct field, not an option. Without it libx264 would
        // take the fps from time_base (90000) and zerolatency's rate control (b_vfr_input=0)
        // would budget bits per 1/90000 s; x264-params is applied after that default.
        SetString(context, "x264-params", string.Create(invariant, $"fps={settings.Fps}"), Children);
    }

    private static void SetString(AVCodecContextHandle context, string name, string value, int flags) =>
        FFmpegException.ThrowIfError(LibAvUtil.av_opt_set(context, name, value, flags), $"av_opt_set({name}={value})");

    private static void SetInt(AVCodecContextHandle context, string name, long value, int flags) =>
        FFmpegException.ThrowIfError(LibAvUtil.av_opt_set_int(context, name, value, flags), $"av_opt_set_int({name}={value})");

    private static void SetRational(AVCodecContextHandle context, string name, AVRational value) =>
        FFmpegException.ThrowIfError(LibAvUtil.av_opt_set_q(context, name, value, 0), $"av_opt_set_q({name}={value.num}/{value.den})");

    private static unsafe void CopyPlane(ReadOnlySpan<byte> source, int width, int height, byte* destination, int linesize)
    {
        if (linesize == width)
        {
            source[..(width * height)].CopyTo(new Span<byte>(destination, width * height));
            return;
        }

        for (var row = 0; row < height; row++)
        {
            source.Slice(row * width, width).CopyTo(new Span<byte>(destination + ((long)row * linesize), width));
        }
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
            AccessUnit unit;
            try
            {
                var packet = _packet.DangerousGetHandle();
                var size = _layout.PacketSize(packet);
                unit = _pool.Rent();
                new ReadOnlySpan<byte>(_layout.PacketData(packet), size).CopyTo(unit.GetWriteSpan(size));
                var isKeyframe = (_layout.PacketFlags(packet) & FFmpegConstants.AV_PKT_FLAG_KEY) != 0;
                var (capture, frameNumber) = Lookup(_layout.PacketPts(packet));
                unit.SetMetadata(capture, isKeyframe, frameNumber);
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

        // Not expected with zerolatency; fall back to the newest frame rather than fail.
        var newest = (int)((_framesEncoded - 1) % PtsRingSize);
        return (_ringCapture[newest], _ringFrameNumber[newest]);
    }

    private void ThrowSizeMismatch(VideoFrame frame) =>
        throw new ArgumentException(
            $"frame is {frame.Width}x{frame.Height} but the encoder was opened for {Settings.Width}x{Settings.Height}", nameof(frame));

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information,
        Message = "x264 encoder opened: {Width}x{Height} at {Fps} fps, {Bitrate} bit/s, GOP {Gop}, profile {Profile}, preset {Preset}, {Threads} threads, libavcodec {AvcodecVersion} ({Soname})")]
    private static partial void LogOpened(ILogger logger, int width, int height, int fps, long bitrate, int gop, string profile,
        string preset, int threads, string avcodecVersion, string soname);
}
