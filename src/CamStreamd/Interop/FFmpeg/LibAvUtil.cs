using System.Runtime.InteropServices;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>
/// The libavutil calls camstreamd uses (native names verbatim, signatures from frame.h, opt.h,
/// error.h, log.h; unchanged in FFmpeg 5.1, 6.x and 7.x).
/// </summary>
internal static partial class LibAvUtil
{
    /// <summary>The name the resolver maps to the loaded libavutil soname.</summary>
    public const string LibraryName = "libavutil";

    // See LibAvCodec: registers the soname resolver before the first call.
    static LibAvUtil() => FFmpegLibraries.RegisterResolver();

    /// <summary><c>unsigned avutil_version(void)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial uint avutil_version();

    /// <summary><c>AVFrame *av_frame_alloc(void)</c>; 0 on failure.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint av_frame_alloc();

    /// <summary><c>void av_frame_free(AVFrame **frame)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial void av_frame_free(ref nint frame);

    /// <summary><c>int av_frame_get_buffer(AVFrame *frame, int align)</c>: needs format, width, height set; align 0 = CPU default.</summary>
    [LibraryImport(LibraryName)]
    public static partial int av_frame_get_buffer(AVFrameHandle frame, int align);

    /// <summary><c>int av_frame_make_writable(AVFrame *frame)</c>: copies the buffers only when someone else holds a reference.</summary>
    [LibraryImport(LibraryName)]
    public static partial int av_frame_make_writable(AVFrameHandle frame);

    /// <summary><c>int av_opt_set(void *obj, const char *name, const char *val, int search_flags)</c>.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int av_opt_set(AVCodecContextHandle obj, string name, string val, int search_flags);

    /// <summary><c>int av_opt_set_int(void *obj, const char *name, int64_t val, int search_flags)</c>.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int av_opt_set_int(AVCodecContextHandle obj, string name, long val, int search_flags);

    /// <summary><c>int av_opt_set_q(void *obj, const char *name, AVRational val, int search_flags)</c>: the rational by value.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int av_opt_set_q(AVCodecContextHandle obj, string name, AVRational val, int search_flags);

    /// <summary><c>int av_strerror(int errnum, char *errbuf, size_t errbuf_size)</c>: 0, or negative when no description was found.</summary>
    [LibraryImport(LibraryName)]
    public static unsafe partial int av_strerror(int errnum, byte* errbuf, nuint errbuf_size);

    /// <summary><c>void av_log_set_level(int level)</c>: FFmpeg's own logging threshold (process-wide).</summary>
    [LibraryImport(LibraryName)]
    public static partial void av_log_set_level(int level);

    /// <summary><c>void av_frame_unref(AVFrame *frame)</c>: drops the frame's buffers, keeps the struct.</summary>
    [LibraryImport(LibraryName)]
    public static partial void av_frame_unref(AVFrameHandle frame);

    /// <summary><c>int av_hwdevice_ctx_create(AVBufferRef **device_ctx, enum AVHWDeviceType type, const char *device, AVDictionary *opts, int flags)</c>.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int av_hwdevice_ctx_create(out nint device_ctx, int type, string? device, nint opts, int flags);

    /// <summary><c>AVBufferRef *av_hwframe_ctx_alloc(AVBufferRef *device_ctx)</c>; 0 on failure.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint av_hwframe_ctx_alloc(AVBufferRefHandle device_ctx);

    /// <summary><c>int av_hwframe_ctx_init(AVBufferRef *ref)</c>: after format, sw_format, width and height are set.</summary>
    [LibraryImport(LibraryName)]
    public static partial int av_hwframe_ctx_init(AVBufferRefHandle @ref);

    /// <summary><c>int av_hwframe_get_buffer(AVBufferRef *hwframe_ctx, AVFrame *frame, int flags)</c>: a surface from the pool.</summary>
    [LibraryImport(LibraryName)]
    public static partial int av_hwframe_get_buffer(AVBufferRefHandle hwframe_ctx, AVFrameHandle frame, int flags);

    /// <summary><c>int av_hwframe_transfer_data(AVFrame *dst, const AVFrame *src, int flags)</c>: upload or download.</summary>
    [LibraryImport(LibraryName)]
    public static partial int av_hwframe_transfer_data(AVFrameHandle dst, AVFrameHandle src, int flags);

    /// <summary><c>AVBufferRef *av_buffer_ref(const AVBufferRef *buf)</c>: a new reference; 0 on failure.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint av_buffer_ref(AVBufferRefHandle buf);

    /// <summary>
    /// <c>AVBufferRef *av_buffer_create(uint8_t *data, size_t size, void (*free)(void *opaque, uint8_t *data), void *opaque, int flags)</c>:
    /// a reference to memory FFmpeg does not own; <paramref name="free"/> runs when the last reference goes. 0 on failure.
    /// </summary>
    [LibraryImport(LibraryName)]
    public static unsafe partial nint av_buffer_create(byte* data, nuint size, delegate* unmanaged<nint, byte*, void> free, nint opaque, int flags);

    /// <summary><c>int av_buffer_get_ref_count(const AVBufferRef *buf)</c>: how many references share the buffer.</summary>
    [LibraryImport(LibraryName)]
    public static partial int av_buffer_get_ref_count(nint buf);

    /// <summary><c>AVBufferRef *av_buffer_ref(const AVBufferRef *buf)</c> on a raw reference; 0 on failure.</summary>
    [LibraryImport(LibraryName, EntryPoint = "av_buffer_ref")]
    public static partial nint av_buffer_ref_raw(nint buf);

    /// <summary><c>void av_buffer_unref(AVBufferRef **buf)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial void av_buffer_unref(ref nint buf);
}
