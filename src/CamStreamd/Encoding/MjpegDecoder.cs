using CamStreamd.Interop.FFmpeg;

namespace CamStreamd.Encoding;

/// <summary>
/// libavcodec's <c>mjpeg</c> decoder, one JPEG in, one raw picture out (no frame threading, so no
/// delay). The picture (usually yuvj422p from UVC cameras, yuvj420p otherwise) stays valid until
/// the next <see cref="Decode"/>.
/// </summary>
internal sealed class MjpegDecoder : IDisposable
{
    private readonly FFmpegLayout _layout;
    private readonly AVCodecContextHandle _context;
    private readonly AVPacketHandle _packet;
    private readonly AVFrameHandle _frame;

    public MjpegDecoder(FFmpegLayout layout)
    {
        _layout = layout;
        var codec = LibAvCodec.avcodec_find_decoder_by_name("mjpeg");
        if (codec == 0)
        {
            throw new FFmpegUnavailableException("this FFmpeg build has no mjpeg decoder (needed for MJPEG cameras)");
        }

        AVCodecContextHandle? context = null;
        try
        {
            context = AVCodecContextHandle.Allocate(codec);
            FFmpegException.ThrowIfError(LibAvUtil.av_opt_set(context, "threads", "1", 0), "av_opt_set(threads=1)");
            FFmpegException.ThrowIfError(LibAvCodec.avcodec_open2(context, codec, 0), "avcodec_open2(mjpeg)");
            _packet = AVPacketHandle.Allocate();
            _frame = AVFrameHandle.Allocate();
        }
        catch
        {
            _packet?.Dispose();
            context?.Dispose();
            throw;
        }

        _context = context;
    }

    /// <summary>Decodes one JPEG; returns the <c>AVFrame*</c> holding the picture.</summary>
    /// <exception cref="FFmpegException">The JPEG is corrupt or the decoder gave no picture.</exception>
    public unsafe nint Decode(ReadOnlySpan<byte> jpeg)
    {
        var packet = _packet.DangerousGetHandle();
        int result;
        fixed (byte* data = jpeg)
        {
            // A packet without buf: avcodec_send_packet copies the bytes before returning.
            _layout.SetPacketData(packet, data, jpeg.Length);
            result = LibAvCodec.avcodec_send_packet(_context, _packet);
            _layout.SetPacketData(packet, null, 0);
        }

        FFmpegException.ThrowIfError(result, "avcodec_send_packet(mjpeg)");
        LibAvUtil.av_frame_unref(_frame);
        FFmpegException.ThrowIfError(LibAvCodec.avcodec_receive_frame(_context, _frame), "avcodec_receive_frame(mjpeg)");
        return _frame.DangerousGetHandle();
    }

    public void Dispose()
    {
        _frame.Dispose();
        _packet.Dispose();
        _context.Dispose();
    }
}
