using CamStreamd.Interop.FFmpeg;

namespace CamStreamd.Encoding;

/// <summary>
/// One H.264 stream decoded through libavcodec (<c>avcodec_send_packet</c> /
/// <c>avcodec_receive_frame</c>): hardware first (<see cref="H264DecoderProbe"/>), software as
/// the fallback. One access unit in (Annex-B, parameter sets in band), at most one picture out:
/// one thread and no frame threading, so a picture comes out of the access unit that completes
/// it (streams without B-frames, as cameras send, have no reorder delay). Corrupt or truncated
/// units are counted in <see cref="Failures"/> and never throw; the decoder conceals what it can
/// and recovers at the next IDR. A change of resolution comes through as pictures of the new size.
/// A hardware decoder whose pictures are not in a CPU pixel format libswscale reads is replaced
/// by the software decoder (counted in <see cref="Fallbacks"/>). Not thread-safe: one caller.
/// </summary>
internal sealed class H264Decoder : IDisposable
{
    private readonly FFmpegLayout _layout;
    private readonly AVPacketHandle _packet;
    private readonly AVFrameHandle _frame;
    private readonly List<string> _skipped = [];
    private AVCodecContextHandle _context;

    private H264Decoder(FFmpegLayout layout, bool softwareOnly)
    {
        _layout = layout;
        _packet = AVPacketHandle.Allocate();
        try
        {
            _frame = AVFrameHandle.Allocate();
            (_context, Engine) = OpenContext(softwareOnly);
        }
        catch
        {
            _frame?.Dispose();
            _packet.Dispose();
            throw;
        }
    }

    /// <summary>The engine in use (<c>rkmpp</c>, <c>v4l2m2m</c> or <c>software</c>).</summary>
    public string Engine { get; private set; }

    /// <summary>Why the candidates before <see cref="Engine"/> were not used ("engine: reason").</summary>
    public IReadOnlyList<string> Skipped => _skipped;

    /// <summary>Pictures decoded.</summary>
    public long Pictures { get; private set; }

    /// <summary>Access units the decoder rejected, and decode errors.</summary>
    public long Failures { get; private set; }

    /// <summary>Times a hardware decoder was replaced by the software one.</summary>
    public long Fallbacks { get; private set; }

    /// <summary>The last decoder error, or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Opens the best decoder (<paramref name="softwareOnly"/>: libavcodec's own <c>h264</c>).</summary>
    public static H264Decoder Open(bool softwareOnly = false) => new(FFmpegLibraries.Layout, softwareOnly);

    /// <summary>
    /// Decodes one access unit. True when a picture came out: it is then in <see cref="Picture"/>
    /// until the next call (a caller may move it elsewhere with <c>av_frame_move_ref</c>).
    /// </summary>
    public unsafe bool Decode(ReadOnlySpan<byte> annexB)
    {
        if (annexB.IsEmpty)
        {
            return false;
        }

        var packet = _packet.DangerousGetHandle();
        int sent;
        fixed (byte* data = annexB)
        {
            // A packet without buf: avcodec_send_packet copies the bytes (with padding) before returning.
            _layout.SetPacketData(packet, data, annexB.Length);
            sent = LibAvCodec.avcodec_send_packet(_context, _packet);
            _layout.SetPacketData(packet, null, 0);
        }

        if (sent < 0 && sent != FFmpegConstants.AVERROR_EAGAIN)
        {
            Fail("avcodec_send_packet", sent);
        }

        // One thread, no frame threading: at most one picture per unit (a second receive would
        // unref this one first, so the rare extra picture of a reordering stream comes next call).
        var received = LibAvCodec.avcodec_receive_frame(_context, _frame);
        if (received == FFmpegConstants.AVERROR_EAGAIN || received == FFmpegConstants.AVERROR_EOF)
        {
            return false;
        }

        if (received < 0)
        {
            Fail("avcodec_receive_frame", received);
            return false;
        }

        var format = _layout.FrameFormat(_frame.DangerousGetHandle());
        if (!IsCpuFormat(format))
        {
            FallBackToSoftware(format);
            return false;
        }

        Pictures++;
        return true;
    }

    /// <summary>The decoded picture (<c>AVFrame</c>) of the last successful <see cref="Decode"/>.</summary>
    public AVFrameHandle Picture => _frame;

    public void Dispose()
    {
        _context.Dispose();
        _frame.Dispose();
        _packet.Dispose();
    }

    /// <summary>Pixel formats libswscale reads straight from CPU memory that hardware and software H.264 decoders produce.</summary>
    internal static bool IsCpuFormat(int format) => format is FFmpegConstants.AV_PIX_FMT_YUV420P or FFmpegConstants.AV_PIX_FMT_YUVJ420P
        or FFmpegConstants.AV_PIX_FMT_NV12 or FFmpegConstants.AV_PIX_FMT_YUV422P or FFmpegConstants.AV_PIX_FMT_YUVJ422P
        or FFmpegConstants.AV_PIX_FMT_YUV444P or FFmpegConstants.AV_PIX_FMT_YUVJ444P;

    private void Fail(string call, int error)
    {
        Failures++;
        LastError = new FFmpegException(call, error).Message;
    }

    private void FallBackToSoftware(int format)
    {
        var name = System.Runtime.InteropServices.Marshal.PtrToStringUTF8(LibAvUtil.av_get_pix_fmt_name(format)) ?? format.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _skipped.Add($"{Engine}: pictures in {name}, not a CPU format");
        Fallbacks++;
        LibAvUtil.av_frame_unref(_frame);
        _context.Dispose();
        (_context, Engine) = OpenContext(softwareOnly: true);
    }

    private (AVCodecContextHandle Context, string Engine) OpenContext(bool softwareOnly) =>
        H264DecoderProbe.Open(
            codec => LibAvCodec.avcodec_find_decoder_by_name(codec) != 0,
            H264DecoderProbe.DeviceExists,
            candidate => (OpenCodec(candidate.Codec), candidate.Engine),
            _skipped,
            softwareOnly);

    private static AVCodecContextHandle OpenCodec(string name)
    {
        var codec = LibAvCodec.avcodec_find_decoder_by_name(name);
        var context = AVCodecContextHandle.Allocate(codec);
        try
        {
            // One thread: a picture per access unit without delay, and the least CPU per picture
            // (frame threads would add a frame of latency per thread; slices are rare in cameras' streams).
            FFmpegException.ThrowIfError(LibAvUtil.av_opt_set(context, "threads", "1", 0), "av_opt_set(threads=1)");
            FFmpegException.ThrowIfError(LibAvCodec.avcodec_open2(context, codec, 0), $"avcodec_open2({name})");
            return context;
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }
}
