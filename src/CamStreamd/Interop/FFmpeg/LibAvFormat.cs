using System.Runtime.InteropServices;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>
/// The libavformat calls camstreamd uses to write containers (native names verbatim, signatures
/// from avformat.h and avio.h; unchanged in FFmpeg 5.1, 6.x and 7.x): MP4 segments for the
/// recorder, FLV over RTMP and MPEG-TS over SRT for the publishers. Resolved by soname in
/// <see cref="FFmpegLibraries"/>.
/// </summary>
internal static partial class LibAvFormat
{
    /// <summary>The name the resolver maps to the loaded libavformat soname.</summary>
    public const string LibraryName = "libavformat";

    /// <summary><c>AVIO_FLAG_WRITE</c> (avio.h).</summary>
    public const int AVIO_FLAG_WRITE = 2;

    // See LibAvCodec: registers the soname resolver before the first call.
    static LibAvFormat() => FFmpegLibraries.RegisterResolver();

    /// <summary><c>unsigned avformat_version(void)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial uint avformat_version();

    /// <summary><c>int avformat_network_init(void)</c>: once, before network protocols (RTMP, SRT) are used.</summary>
    [LibraryImport(LibraryName)]
    public static partial int avformat_network_init();

    /// <summary><c>int avformat_alloc_output_context2(AVFormatContext **ctx, const AVOutputFormat *oformat, const char *format_name, const char *filename)</c>.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int avformat_alloc_output_context2(out nint ctx, nint oformat, string format_name, string filename);

    /// <summary><c>void avformat_free_context(AVFormatContext *s)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial void avformat_free_context(nint s);

    /// <summary><c>AVStream *avformat_new_stream(AVFormatContext *s, const AVCodec *c)</c>; 0 on failure.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint avformat_new_stream(AVFormatContextHandle s, nint c);

    /// <summary><c>int avio_open2(AVIOContext **s, const char *url, int flags, const AVIOInterruptCB *int_cb, AVDictionary **options)</c>.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static unsafe partial int avio_open2(nint* s, string url, int flags, nint int_cb, nint* options);

    /// <summary><c>int avio_closep(AVIOContext **s)</c>: closes and sets the pointer to NULL.</summary>
    [LibraryImport(LibraryName)]
    public static unsafe partial int avio_closep(nint* s);

    /// <summary><c>void avio_flush(AVIOContext *s)</c>: hands buffered bytes to the protocol (write(2) for files).</summary>
    [LibraryImport(LibraryName)]
    public static partial void avio_flush(nint s);

    /// <summary><c>int avformat_write_header(AVFormatContext *s, AVDictionary **options)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial int avformat_write_header(AVFormatContextHandle s, nint options);

    /// <summary><c>int av_write_frame(AVFormatContext *s, AVPacket *pkt)</c>; a null packet flushes (a fragment, for MP4 with frag_custom).</summary>
    [LibraryImport(LibraryName)]
    public static partial int av_write_frame(AVFormatContextHandle s, nint pkt);

    /// <summary><c>int av_write_trailer(AVFormatContext *s)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial int av_write_trailer(AVFormatContextHandle s);
}
