namespace CamStreamd.Interop.FFmpeg;

/// <summary>
/// Byte offsets of the few <c>AVFrame</c>, <c>AVPacket</c>, <c>AVCodec</c>, <c>AVCodecContext</c>,
/// <c>AVBufferRef</c> and <c>AVHWFramesContext</c> fields camstreamd reads or writes
/// directly (64-bit targets: x86-64 and arm64 have the same LP64 layout), one table per
/// libavcodec major. Everything else is set through AVOptions.
/// </summary>
/// <remarks>
/// What was verified, and how:
/// <list type="bullet">
/// <item>59 (FFmpeg 5.1, Debian 12 libavcodec-dev 5.1): <c>offsetof</c> probe against the
/// installed headers; the test <c>FFmpegLayoutTests</c> repeats that on every run.</item>
/// <item>61 (FFmpeg 7.1, Debian 13 libavcodec-dev/libavutil-dev 7:7.1.5): the same probe compiled
/// against the headers unpacked from the trixie packages gave identical numbers. In 7.x
/// <c>key_frame</c> is still present (<c>FF_API_FRAME_KEY</c> is <c>LIBAVUTIL_VERSION_MAJOR &lt; 60</c>),
/// so nothing before <c>pts</c> moved.</item>
/// <item>60 (FFmpeg 6.1): the same probe compiled against the public headers of the
/// ffmpeg-rockchip tree (libavcodec 60.31, the FFmpeg 6.1 that rkmpp boards run), once, by hand
/// (CI has no 6.x headers). <c>AVCodecContext.hw_frames_ctx</c> moved (848 → 840) but the frame,
/// packet and hardware-frames offsets are those of 59. <c>AVFrame.buf</c> (added later) was not
/// probed against 6.1: the deprecated fields before it go only with libavutil 59 (FFmpeg 7.0), so
/// 6.x keeps 5.1's 224.</item>
/// <item>61 (FFmpeg 7.x): <c>AVHWFramesContext.internal</c> is gone (7.0), so its fields from
/// <c>initial_pool_size</c> on sit 8 bytes earlier; <c>AVCodecContext</c> lost many deprecated
/// fields (<c>hw_frames_ctx</c> at 552). <c>FFmpegLayoutTests</c> checks 61 in a Debian 13 root.</item>
/// </list>
/// Layout of the AVFrame head: data[8] (8 pointers, 0..63), linesize[8] (64..95),
/// extended_data (96), width (104), height (108), nb_samples (112), format (116), key_frame (120),
/// pict_type (124), sample_aspect_ratio (128, 8 bytes), pts (136); <c>buf[8]</c> follows fields that 7.x dropped
/// (coded/display_picture_number, reordered_opaque, channel_layout): 224 in 5.1 and 6.x, 200 in 7.x. AVPacket head: buf (0),
/// pts (8), dts (16), data (24), size (32), stream_index (36), flags (40).
/// </remarks>
internal sealed record FFmpegLayout(
    int AvcodecMajor,
    int AVFrame_data,
    int AVFrame_linesize,
    int AVFrame_width,
    int AVFrame_height,
    int AVFrame_format,
    int AVFrame_pict_type,
    int AVFrame_pts,
    int AVFrame_buf,
    int AVPacket_pts,
    int AVPacket_data,
    int AVPacket_size,
    int AVPacket_flags,
    int AVCodec_pix_fmts,
    int AVCodecContext_hw_frames_ctx,
    int AVBufferRef_data,
    int AVHWFramesContext_initial_pool_size,
    int AVHWFramesContext_format,
    int AVHWFramesContext_sw_format,
    int AVHWFramesContext_width,
    int AVHWFramesContext_height)
{
    /// <summary>The table, by libavcodec major.</summary>
    public static IReadOnlyList<FFmpegLayout> Table { get; } =
    [
        new(59, AVFrame_data: 0, AVFrame_linesize: 64, AVFrame_width: 104, AVFrame_height: 108, AVFrame_format: 116,
            AVFrame_pict_type: 124, AVFrame_pts: 136, AVFrame_buf: 224, AVPacket_pts: 8, AVPacket_data: 24, AVPacket_size: 32, AVPacket_flags: 40,
            AVCodec_pix_fmts: 40, AVCodecContext_hw_frames_ctx: 848, AVBufferRef_data: 8, AVHWFramesContext_initial_pool_size: 64,
            AVHWFramesContext_format: 68, AVHWFramesContext_sw_format: 72, AVHWFramesContext_width: 76, AVHWFramesContext_height: 80),
        new(60, AVFrame_data: 0, AVFrame_linesize: 64, AVFrame_width: 104, AVFrame_height: 108, AVFrame_format: 116,
            AVFrame_pict_type: 124, AVFrame_pts: 136, AVFrame_buf: 224, AVPacket_pts: 8, AVPacket_data: 24, AVPacket_size: 32, AVPacket_flags: 40,
            AVCodec_pix_fmts: 40, AVCodecContext_hw_frames_ctx: 840, AVBufferRef_data: 8, AVHWFramesContext_initial_pool_size: 64,
            AVHWFramesContext_format: 68, AVHWFramesContext_sw_format: 72, AVHWFramesContext_width: 76, AVHWFramesContext_height: 80),
        new(61, AVFrame_data: 0, AVFrame_linesize: 64, AVFrame_width: 104, AVFrame_height: 108, AVFrame_format: 116,
            AVFrame_pict_type: 124, AVFrame_pts: 136, AVFrame_buf: 200, AVPacket_pts: 8, AVPacket_data: 24, AVPacket_size: 32, AVPacket_flags: 40,
            AVCodec_pix_fmts: 40, AVCodecContext_hw_frames_ctx: 552, AVBufferRef_data: 8, AVHWFramesContext_initial_pool_size: 56,
            AVHWFramesContext_format: 60, AVHWFramesContext_sw_format: 64, AVHWFramesContext_width: 68, AVHWFramesContext_height: 72),
    ];

    /// <summary>The layout for <paramref name="avcodecMajor"/>, or null when there is none.</summary>
    public static FFmpegLayout? ForMajor(int avcodecMajor)
    {
        foreach (var layout in Table)
        {
            if (layout.AvcodecMajor == avcodecMajor)
            {
                return layout;
            }
        }

        return null;
    }

    /// <summary>The offsets as "Struct.field" names (what the probe test prints and compares).</summary>
    public IEnumerable<KeyValuePair<string, int>> Offsets()
    {
        yield return new("AVFrame.data", AVFrame_data);
        yield return new("AVFrame.linesize", AVFrame_linesize);
        yield return new("AVFrame.width", AVFrame_width);
        yield return new("AVFrame.height", AVFrame_height);
        yield return new("AVFrame.format", AVFrame_format);
        yield return new("AVFrame.pict_type", AVFrame_pict_type);
        yield return new("AVFrame.pts", AVFrame_pts);
        yield return new("AVFrame.buf", AVFrame_buf);
        yield return new("AVPacket.pts", AVPacket_pts);
        yield return new("AVPacket.data", AVPacket_data);
        yield return new("AVPacket.size", AVPacket_size);
        yield return new("AVPacket.flags", AVPacket_flags);
        yield return new("AVCodec.pix_fmts", AVCodec_pix_fmts);
        yield return new("AVCodecContext.hw_frames_ctx", AVCodecContext_hw_frames_ctx);
        yield return new("AVBufferRef.data", AVBufferRef_data);
        yield return new("AVHWFramesContext.initial_pool_size", AVHWFramesContext_initial_pool_size);
        yield return new("AVHWFramesContext.format", AVHWFramesContext_format);
        yield return new("AVHWFramesContext.sw_format", AVHWFramesContext_sw_format);
        yield return new("AVHWFramesContext.width", AVHWFramesContext_width);
        yield return new("AVHWFramesContext.height", AVHWFramesContext_height);
    }

    /// <summary><c>frame-&gt;data[plane]</c>.</summary>
    public unsafe byte* FrameData(nint frame, int plane) => ((byte**)(frame + AVFrame_data))[plane];

    /// <summary><c>frame-&gt;linesize[plane]</c>.</summary>
    public unsafe int FrameLinesize(nint frame, int plane) => ((int*)(frame + AVFrame_linesize))[plane];

    /// <summary>Sets <c>format</c>, <c>width</c> and <c>height</c> (before <c>av_frame_get_buffer</c>).</summary>
    public unsafe void SetFrameGeometry(nint frame, int format, int width, int height)
    {
        *(int*)(frame + AVFrame_format) = format;
        *(int*)(frame + AVFrame_width) = width;
        *(int*)(frame + AVFrame_height) = height;
    }

    /// <summary>Sets <c>frame-&gt;data[plane]</c> and <c>frame-&gt;linesize[plane]</c> (a picture in memory FFmpeg did not allocate).</summary>
    public unsafe void SetFramePlane(nint frame, int plane, byte* data, int linesize)
    {
        ((byte**)(frame + AVFrame_data))[plane] = data;
        ((int*)(frame + AVFrame_linesize))[plane] = linesize;
    }

    /// <summary>Sets <c>frame-&gt;buf[index]</c> (the frame takes over the reference; <c>av_frame_unref</c> drops it).</summary>
    public unsafe void SetFrameBuffer(nint frame, int index, nint bufferRef) => ((nint*)(frame + AVFrame_buf))[index] = bufferRef;

    /// <summary>Sets <c>frame-&gt;pts</c>.</summary>
    public unsafe void SetFramePts(nint frame, long pts) => *(long*)(frame + AVFrame_pts) = pts;

    /// <summary>Sets <c>frame-&gt;pict_type</c> (an <c>enum AVPictureType</c>, int-sized).</summary>
    public unsafe void SetFramePictType(nint frame, int pictType) => *(int*)(frame + AVFrame_pict_type) = pictType;

    /// <summary><c>packet-&gt;data</c>.</summary>
    public unsafe byte* PacketData(nint packet) => *(byte**)(packet + AVPacket_data);

    /// <summary><c>packet-&gt;size</c>.</summary>
    public unsafe int PacketSize(nint packet) => *(int*)(packet + AVPacket_size);

    /// <summary><c>packet-&gt;pts</c>.</summary>
    public unsafe long PacketPts(nint packet) => *(long*)(packet + AVPacket_pts);

    /// <summary><c>packet-&gt;flags</c>.</summary>
    public unsafe int PacketFlags(nint packet) => *(int*)(packet + AVPacket_flags);

    /// <summary><c>frame-&gt;format</c>.</summary>
    public unsafe int FrameFormat(nint frame) => *(int*)(frame + AVFrame_format);

    /// <summary><c>frame-&gt;width</c>.</summary>
    public unsafe int FrameWidth(nint frame) => *(int*)(frame + AVFrame_width);

    /// <summary><c>frame-&gt;height</c>.</summary>
    public unsafe int FrameHeight(nint frame) => *(int*)(frame + AVFrame_height);

    /// <summary>Points a non-refcounted packet (<c>buf</c> stays NULL) at <paramref name="data"/>; the decoder copies it.</summary>
    public unsafe void SetPacketData(nint packet, byte* data, int size)
    {
        *(byte**)(packet + AVPacket_data) = data;
        *(int*)(packet + AVPacket_size) = size;
    }

    /// <summary><c>codec-&gt;pix_fmts</c>: the AV_PIX_FMT_NONE-terminated list, or empty when the codec does not say.</summary>
    public unsafe IReadOnlyList<int> CodecPixelFormats(nint codec)
    {
        var list = *(int**)(codec + AVCodec_pix_fmts);
        var formats = new List<int>();
        for (var i = 0; list != null && list[i] != FFmpegConstants.AV_PIX_FMT_NONE && i < 256; i++)
        {
            formats.Add(list[i]);
        }

        return formats;
    }

    /// <summary>Sets <c>avctx-&gt;hw_frames_ctx</c> (the context takes over the reference).</summary>
    public unsafe void SetCodecHwFramesContext(nint avctx, nint bufferRef) => *(nint*)(avctx + AVCodecContext_hw_frames_ctx) = bufferRef;

    /// <summary>Fills the fields of the <c>AVHWFramesContext</c> behind <paramref name="framesRef"/> (before <c>av_hwframe_ctx_init</c>).</summary>
    public unsafe void SetHwFramesGeometry(nint framesRef, int format, int swFormat, int width, int height, int initialPoolSize)
    {
        var frames = *(nint*)(framesRef + AVBufferRef_data);
        *(int*)(frames + AVHWFramesContext_format) = format;
        *(int*)(frames + AVHWFramesContext_sw_format) = swFormat;
        *(int*)(frames + AVHWFramesContext_width) = width;
        *(int*)(frames + AVHWFramesContext_height) = height;
        *(int*)(frames + AVHWFramesContext_initial_pool_size) = initialPoolSize;
    }
}
