using System.Runtime.InteropServices;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>
/// The libavcodec calls camstreamd uses (native names verbatim, signatures from avcodec.h,
/// codec.h and packet.h; unchanged in FFmpeg 5.1, 6.x and 7.x). Pointers to FFmpeg structs are
/// <see cref="nint"/> or a SafeHandle; the library is resolved by soname in
/// <see cref="FFmpegLibraries"/>, whose resolver the static constructor registers.
/// </summary>
internal static partial class LibAvCodec
{
    /// <summary>The name the resolver maps to the loaded libavcodec soname.</summary>
    public const string LibraryName = "libavcodec";

    // Explicit static constructor (no beforefieldinit): any call below first registers the soname
    // resolver, so an unversioned libavcodec.so is never bound by accident.
    static LibAvCodec() => FFmpegLibraries.RegisterResolver();

    /// <summary><c>unsigned avcodec_version(void)</c>: (major &lt;&lt; 16) | (minor &lt;&lt; 8) | micro.</summary>
    [LibraryImport(LibraryName)]
    public static partial uint avcodec_version();

    /// <summary><c>const AVCodec *avcodec_find_encoder_by_name(const char *name)</c>; 0 when absent.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint avcodec_find_encoder_by_name(string name);

    /// <summary><c>AVCodecContext *avcodec_alloc_context3(const AVCodec *codec)</c>; 0 on failure.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint avcodec_alloc_context3(nint codec);

    /// <summary><c>int avcodec_open2(AVCodecContext *avctx, const AVCodec *codec, AVDictionary **options)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial int avcodec_open2(AVCodecContextHandle avctx, nint codec, nint options);

    /// <summary><c>int avcodec_send_frame(AVCodecContext *avctx, const AVFrame *frame)</c>; a null frame flushes.</summary>
    [LibraryImport(LibraryName)]
    public static partial int avcodec_send_frame(AVCodecContextHandle avctx, AVFrameHandle frame);

    /// <summary><c>int avcodec_receive_packet(AVCodecContext *avctx, AVPacket *avpkt)</c>: 0, AVERROR(EAGAIN), AVERROR_EOF or an error.</summary>
    [LibraryImport(LibraryName)]
    public static partial int avcodec_receive_packet(AVCodecContextHandle avctx, AVPacketHandle avpkt);

    /// <summary><c>void avcodec_free_context(AVCodecContext **avctx)</c>: frees and sets the pointer to NULL.</summary>
    [LibraryImport(LibraryName)]
    public static partial void avcodec_free_context(ref nint avctx);

    /// <summary><c>AVPacket *av_packet_alloc(void)</c>; 0 on failure.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint av_packet_alloc();

    /// <summary><c>void av_packet_free(AVPacket **pkt)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial void av_packet_free(ref nint pkt);

    /// <summary><c>void av_packet_unref(AVPacket *pkt)</c>: drops the packet's buffer reference and resets its fields.</summary>
    [LibraryImport(LibraryName)]
    public static partial void av_packet_unref(AVPacketHandle pkt);

    /// <summary><c>const AVCodec *avcodec_find_decoder_by_name(const char *name)</c>; 0 when absent.</summary>
    [LibraryImport(LibraryName, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint avcodec_find_decoder_by_name(string name);

    /// <summary><c>int avcodec_send_packet(AVCodecContext *avctx, const AVPacket *avpkt)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial int avcodec_send_packet(AVCodecContextHandle avctx, AVPacketHandle avpkt);

    /// <summary><c>int avcodec_receive_frame(AVCodecContext *avctx, AVFrame *frame)</c>: 0, AVERROR(EAGAIN), AVERROR_EOF or an error.</summary>
    [LibraryImport(LibraryName)]
    public static partial int avcodec_receive_frame(AVCodecContextHandle avctx, AVFrameHandle frame);
}
