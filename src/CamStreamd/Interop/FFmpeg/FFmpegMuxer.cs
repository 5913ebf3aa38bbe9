namespace CamStreamd.Interop.FFmpeg;

/// <summary>
/// Writes one H.264 video stream into a container through libavformat: an MP4 file, FLV over
/// RTMP, MPEG-TS over SRT. Takes Annex-B access units with 90 kHz timestamps as they are (no
/// re-encoding); the muxer converts them to its own framing. Not thread-safe: one writer.
/// </summary>
internal sealed class FFmpegMuxer : IDisposable
{
    // AV_INPUT_BUFFER_PADDING_SIZE (64 since FFmpeg 4): extradata must be followed by that many zero bytes.
    private const int InputPadding = 64;

    // AVMEDIA_TYPE_VIDEO and AV_CODEC_ID_H264 (checked by the layout probe).
    private const int MediaTypeVideo = 0;
    private const int CodecIdH264 = 27;

    private static int s_networkInitialized;

    private readonly AVFormatContextHandle _context;
    private readonly AVPacketHandle _packet;
    private readonly FFmpegLayout _layout;
    private readonly FFmpegFormatLayout _format;
    private readonly long _timeBaseNum;
    private readonly long _timeBaseDen;
    private bool _closed;

    private FFmpegMuxer(AVFormatContextHandle context, AVPacketHandle packet, FFmpegLayout layout, FFmpegFormatLayout format, long timeBaseNum, long timeBaseDen)
    {
        _context = context;
        _packet = packet;
        _layout = layout;
        _format = format;
        _timeBaseNum = timeBaseNum;
        _timeBaseDen = timeBaseDen;
    }

    /// <summary>The layout for the loaded libavformat; throws naming the major when there is none.</summary>
    public static void EnsureSupported() => _ = FormatLayout();

    /// <summary>
    /// Opens <paramref name="url"/> with the muxer <paramref name="format"/> (<c>mp4</c>, <c>flv</c>,
    /// <c>mpegts</c>) for one H.264 stream of <paramref name="width"/>x<paramref name="height"/>
    /// whose SPS and PPS are <paramref name="annexBParameterSets"/> (Annex-B), sets
    /// <paramref name="formatOptions"/> on the muxer (AVOptions, e.g. <c>movflags</c>) and
    /// <paramref name="ioOptions"/> on the protocol (e.g. <c>rw_timeout</c>), and writes the header.
    /// Blocks while the protocol connects.
    /// </summary>
    public static unsafe FFmpegMuxer Open(string format, string url, int width, int height, ReadOnlySpan<byte> annexBParameterSets, IEnumerable<KeyValuePair<string, string>> formatOptions, IEnumerable<KeyValuePair<string, string>> ioOptions)
    {
        ArgumentNullException.ThrowIfNull(formatOptions);
        ArgumentNullException.ThrowIfNull(ioOptions);
        FFmpegLibraries.EnsureLoaded();
        var layout = FFmpegLibraries.Layout;
        var fl = FormatLayout();
        if (!url.StartsWith('/') && Interlocked.Exchange(ref s_networkInitialized, 1) == 0)
        {
            FFmpegException.ThrowIfError(LibAvFormat.avformat_network_init(), nameof(LibAvFormat.avformat_network_init));
        }

        var context = AVFormatContextHandle.AllocateOutput(format, url, fl.AVFormatContext_pb);
        AVPacketHandle? packet = null;
        nint dictionary = 0;
        try
        {
            var ctx = context.DangerousGetHandle();
            var stream = LibAvFormat.avformat_new_stream(context, 0);
            if (stream == 0)
            {
                throw new FFmpegException(nameof(LibAvFormat.avformat_new_stream), FFmpegConstants.AVERROR_ENOMEM);
            }

            // A hint: the muxer may choose another time base in avformat_write_header (read back below).
            *(AVRational*)(stream + fl.AVStream_time_base) = new AVRational(1, 90_000);
            var par = *(nint*)(stream + fl.AVStream_codecpar);
            *(int*)(par + fl.AVCodecParameters_codec_type) = MediaTypeVideo;
            *(int*)(par + fl.AVCodecParameters_codec_id) = CodecIdH264;
            *(int*)(par + fl.AVCodecParameters_width) = width;
            *(int*)(par + fl.AVCodecParameters_height) = height;
            var extradata = LibAvUtil.av_mallocz((nuint)(annexBParameterSets.Length + InputPadding));
            if (extradata == 0)
            {
                throw new FFmpegException(nameof(LibAvUtil.av_mallocz), FFmpegConstants.AVERROR_ENOMEM);
            }

            annexBParameterSets.CopyTo(new Span<byte>((void*)extradata, annexBParameterSets.Length));
            *(nint*)(par + fl.AVCodecParameters_extradata) = extradata;
            *(int*)(par + fl.AVCodecParameters_extradata_size) = annexBParameterSets.Length;

            foreach (var (name, value) in formatOptions)
            {
                FFmpegException.ThrowIfError(LibAvUtil.av_opt_set_obj(ctx, name, value, FFmpegConstants.AV_OPT_SEARCH_CHILDREN), $"av_opt_set({name})");
            }

            foreach (var (name, value) in ioOptions)
            {
                FFmpegException.ThrowIfError(LibAvUtil.av_dict_set(&dictionary, name, value, 0), $"av_dict_set({name})");
            }

            FFmpegException.ThrowIfError(LibAvFormat.avio_open2((nint*)(ctx + fl.AVFormatContext_pb), url, LibAvFormat.AVIO_FLAG_WRITE, 0, &dictionary), nameof(LibAvFormat.avio_open2));
            FFmpegException.ThrowIfError(LibAvFormat.avformat_write_header(context, 0), nameof(LibAvFormat.avformat_write_header));
            var timeBase = *(AVRational*)(stream + fl.AVStream_time_base);
            if (timeBase.num <= 0 || timeBase.den <= 0)
            {
                throw new FFmpegException("avformat_write_header (stream time base)", FFmpegConstants.AVERROR_EINVAL);
            }

            packet = AVPacketHandle.Allocate();
            return new FFmpegMuxer(context, packet, layout, fl, timeBase.num, timeBase.den);
        }
        catch
        {
            packet?.Dispose();
            context.Dispose();
            throw;
        }
        finally
        {
            LibAvUtil.av_dict_free(&dictionary);
        }
    }

    /// <summary>Writes one access unit (Annex-B) at <paramref name="pts90k"/> (90 kHz, from 0, increasing); no B-frames, so DTS = PTS.</summary>
    public unsafe void Write(ReadOnlySpan<byte> annexB, long pts90k, bool keyframe)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var pts = (long)((Int128)pts90k * _timeBaseDen / ((Int128)90_000 * _timeBaseNum));
        var packet = _packet.DangerousGetHandle();
        fixed (byte* data = annexB)
        {
            // Not refcounted (buf stays NULL): the muxer copies or writes the bytes before it returns.
            _layout.SetPacketData(packet, data, annexB.Length);
            *(long*)(packet + _layout.AVPacket_pts) = pts;
            *(long*)(packet + _format.AVPacket_dts) = pts;
            *(int*)(packet + _format.AVPacket_stream_index) = 0;
            *(int*)(packet + _layout.AVPacket_flags) = keyframe ? FFmpegConstants.AV_PKT_FLAG_KEY : 0;
            var result = LibAvFormat.av_write_frame(_context, packet);
            _layout.SetPacketData(packet, null, 0);
            FFmpegException.ThrowIfError(result, nameof(LibAvFormat.av_write_frame));
        }
    }

    /// <summary>Ends the current fragment (MP4 with <c>frag_custom</c>) and hands every buffered byte to the kernel.</summary>
    public unsafe void Flush()
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        FFmpegException.ThrowIfError(LibAvFormat.av_write_frame(_context, 0), nameof(LibAvFormat.av_write_frame) + "(flush)");
        LibAvFormat.avio_flush(*(nint*)(_context.DangerousGetHandle() + _format.AVFormatContext_pb));
    }

    /// <summary>Writes the trailer and closes the output; the muxer is unusable after.</summary>
    public void Close()
    {
        if (_closed)
        {
            return;
        }

        _closed = true;
        try
        {
            FFmpegException.ThrowIfError(LibAvFormat.av_write_trailer(_context), nameof(LibAvFormat.av_write_trailer));
        }
        finally
        {
            FFmpegException.ThrowIfError(_context.ClosePb(), nameof(LibAvFormat.avio_closep));
        }
    }

    /// <summary>Releases the output without a trailer (a broken connection): what was written stays as it is.</summary>
    public void Dispose()
    {
        _closed = true;
        _packet.Dispose();
        _context.Dispose();
    }

    private static FFmpegFormatLayout FormatLayout()
    {
        FFmpegLibraries.EnsureLoaded();
        var major = (int)(LibAvFormat.avformat_version() >> 16);
        return FFmpegFormatLayout.ForMajor(major) ?? throw new FFmpegUnavailableException(
            $"libavformat major version {major} is not supported for recording and RTMP/SRT publishing; supported majors: " +
            string.Join(", ", FFmpegFormatLayout.Table.Select(l => l.AvformatMajor)));
    }
}
