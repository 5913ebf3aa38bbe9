using System.Runtime.InteropServices;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>The <c>AVFrame</c> reference calls of frame.h the decoders use (a decoded picture handed on without a copy).</summary>
internal static partial class LibAvUtil
{
    /// <summary><c>void av_frame_move_ref(AVFrame *dst, AVFrame *src)</c>: dst must be empty (unreffed); src is reset.</summary>
    [LibraryImport(LibraryName)]
    public static partial void av_frame_move_ref(AVFrameHandle dst, AVFrameHandle src);

    /// <summary><c>const char *av_get_pix_fmt_name(enum AVPixelFormat pix_fmt)</c> : a static string (so returned as a pointer: a string return would be freed by the marshaller), 0 for unknown formats.</summary>
    [LibraryImport(LibraryName)]
    public static partial nint av_get_pix_fmt_name(int pix_fmt);
}
