using System.Globalization;
using CamStreamd.Interop.FFmpeg;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Encoding;

/// <summary>
/// Baseline JPEG through FFmpeg's <c>mjpeg</c> encoder: tightly packed I420 in, one JFIF picture
/// out. The input is taken as full-range ("pc") 4:2:0, which is what JPEG decoders assume. The
/// quality maps onto a fixed quantizer (qmin = qmax), so every picture has the same quality and
/// no rate control state carries from one picture to the next. Not thread-safe: one owner thread.
/// </summary>
public sealed partial class JpegEncoder : IDisposable
{
    /// <summary>Lowest quality setting.</summary>
    public const int MinQuality = 1;

    /// <summary>Highest quality setting.</summary>
    public const int MaxQuality = 100;

    private const string CodecName = "mjpeg";

    // MPEG-style quantizer scale the mjpeg encoder accepts: 2 (finest) .. 31 (coarsest).
    private const int FinestQuantizer = 2;
    private const int CoarsestQuantizer = 31;

    private readonly FFmpegLayout _layout;
    private readonly AVCodecContextHandle _context;
    private readonly AVFrameHandle _frame;
    private readonly AVPacketHandle _packet;
    private long _pts;
    private bool _disposed;

    /// <summary>Opens the encoder for <paramref name="width"/>x<paramref name="height"/> pictures at <paramref name="quality"/> (1..100).</summary>
    /// <exception cref="FFmpegUnavailableException">FFmpeg or its mjpeg encoder is missing.</exception>
    /// <exception cref="FFmpegException">An option was refused or the encoder did not open.</exception>
    public JpegEncoder(int width, int height, int quality, ILogger<JpegEncoder>? logger = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfLessThan(quality, MinQuality);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quality, MaxQuality);
        Width = width;
        Height = height;
        Quality = quality;

        var ffmpeg = FFmpegLibraries.EnsureLoaded();
        _layout = FFmpegLibraries.Layout;
        var codec = LibAvCodec.avcodec_find_encoder_by_name(CodecName);
        if (codec == 0)
        {
            throw new FFmpegUnavailableException($"libavcodec {ffmpeg.AvcodecVersion} has no {CodecName} encoder");
        }

        var quantizer = QuantizerFor(quality);
        AVCodecContextHandle? context = null;
        AVFrameHandle? frame = null;
        AVPacketHandle? packet = null;
        try
        {
            context = AVCodecContextHandle.Allocate(codec);
            var invariant = CultureInfo.InvariantCulture;
            SetString(context, "video_size", string.Create(invariant, $"{width}x{height}"));
            SetString(context, "pixel_format", "yuv420p");

            // mjpeg takes yuv420p only as full range (the deprecated yuvj420p means the same).
            SetString(context, "color_range", "pc");

            // mpegvideo encoders need a time base and strictly increasing pts; a picture counter does.
            SetRational(context, "time_base", new AVRational(1, 1000));
            SetInt(context, "qmin", quantizer);
            SetInt(context, "qmax", quantizer);
            SetInt(context, "threads", 1);
            FFmpegException.ThrowIfError(LibAvCodec.avcodec_open2(context, codec, 0), nameof(LibAvCodec.avcodec_open2));

            frame = AVFrameHandle.Allocate();
            _layout.SetFrameGeometry(frame.DangerousGetHandle(), FFmpegConstants.AV_PIX_FMT_YUV420P, width, height);
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
        LogOpened(logger ?? NullLogger<JpegEncoder>.Instance, width, height, quality, quantizer, ffmpeg.AvcodecVersion);
    }

    /// <summary>Picture width.</summary>
    public int Width { get; }

    /// <summary>Picture height.</summary>
    public int Height { get; }

    /// <summary>Quality, 1..100.</summary>
    public int Quality { get; }

    /// <summary>The quantizer scale (2..31) a quality maps to: 100 → 2, 1 → 31, linearly.</summary>
    public static int QuantizerFor(int quality)
    {
        var clamped = Math.Clamp(quality, MinQuality, MaxQuality);
        var span = CoarsestQuantizer - FinestQuantizer;
        return CoarsestQuantizer - (int)Math.Round((clamped - MinQuality) * span / (double)(MaxQuality - MinQuality));
    }

    /// <summary>
    /// Encodes one tightly packed I420 <paramref name="frame"/> of the opened size into
    /// <paramref name="destination"/> (replaced by a larger array when too small) and returns the
    /// JPEG's length. Does not release the frame.
    /// </summary>
    public unsafe int Encode(VideoFrame frame, ref byte[] destination)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(destination);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (frame.Format != VideoPixelFormat.I420 || frame.Width != Width || frame.Height != Height || frame.GetStride(0) != frame.Width)
        {
            throw new ArgumentException(
                $"the JPEG encoder takes tightly packed {Width}x{Height} I420, got {frame.Format} {frame.Width}x{frame.Height} (stride {frame.GetStride(0)})",
                nameof(frame));
        }

        FFmpegException.ThrowIfError(LibAvUtil.av_frame_make_writable(_frame), nameof(LibAvUtil.av_frame_make_writable));
        var avFrame = _frame.DangerousGetHandle();
        CopyPlane(frame.Y, frame.Width, frame.Height, _layout.FrameData(avFrame, 0), _layout.FrameLinesize(avFrame, 0));
        CopyPlane(frame.U, frame.ChromaWidth, frame.ChromaHeight, _layout.FrameData(avFrame, 1), _layout.FrameLinesize(avFrame, 1));
        CopyPlane(frame.V, frame.ChromaWidth, frame.ChromaHeight, _layout.FrameData(avFrame, 2), _layout.FrameLinesize(avFrame, 2));
        _layout.SetFramePts(avFrame, _pts++);

        FFmpegException.ThrowIfError(LibAvCodec.avcodec_send_frame(_context, _frame), nameof(LibAvCodec.avcodec_send_frame));

        // mjpeg is intra-only without delay: one packet per picture, available at once.
        var result = LibAvCodec.avcodec_receive_packet(_context, _packet);
        FFmpegException.ThrowIfError(result, nameof(LibAvCodec.avcodec_receive_packet));
        try
        {
            var packet = _packet.DangerousGetHandle();
            var size = _layout.PacketSize(packet);
            if (destination.Length < size)
            {
                destination = new byte[size + (size / 4)];
            }

            new ReadOnlySpan<byte>(_layout.PacketData(packet), size).CopyTo(destination);
            return size;
        }
        finally
        {
            LibAvCodec.av_packet_unref(_packet);
        }
    }

    /// <summary>Frees the codec context, frame and packet.</summary>
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

    private static void SetString(AVCodecContextHandle context, string name, string value) =>
        FFmpegException.ThrowIfError(LibAvUtil.av_opt_set(context, name, value, 0), $"av_opt_set({name}={value})");

    private static void SetInt(AVCodecContextHandle context, string name, long value) =>
        FFmpegException.ThrowIfError(LibAvUtil.av_opt_set_int(context, name, value, 0), $"av_opt_set_int({name}={value})");

    private static void SetRational(AVCodecContextHandle context, string name, AVRational value) =>
        FFmpegException.ThrowIfError(LibAvUtil.av_opt_set_q(context, name, value, 0), $"av_opt_set_q({name}={value.num}/{value.den})");

    private static unsafe void CopyPlane(ReadOnlySpan<byte> source, int width, int height, byte* destination, int linesize)
    {
        for (var row = 0; row < height; row++)
        {
            source.Slice(row * width, width).CopyTo(new Span<byte>(destination + ((long)row * linesize), width));
        }
    }

    [LoggerMessage(EventId = 4400, Level = LogLevel.Debug, Message = "JPEG encoder opened: {Width}x{Height}, quality {Quality} (quantizer {Quantizer}), libavcodec {AvcodecVersion}")]
    private static partial void LogOpened(ILogger logger, int width, int height, int quality, int quantizer, string avcodecVersion);
}
