using System.Runtime.InteropServices;

namespace CamStreamd.Interop.FFmpeg;

/// <summary>
/// The libswscale calls camstreamd uses (swscale.h; unchanged in FFmpeg 5.1, 6.x and 7.x). The
/// soname (libswscale.so.6/7/8) follows the loaded libavcodec's release (<see cref="FFmpegSonameSet"/>).
/// </summary>
internal static partial class LibSwscale
{
    /// <summary>The name the resolver maps to the loaded libswscale soname.</summary>
    public const string LibraryName = "libswscale";

    // See LibAvCodec: registers the soname resolver before the first call.
    static LibSwscale() => FFmpegLibraries.RegisterResolver();

    /// <summary>
    /// <c>struct SwsContext *sws_getContext(int srcW, int srcH, enum AVPixelFormat srcFormat, int dstW, int dstH,
    /// enum AVPixelFormat dstFormat, int flags, SwsFilter *srcFilter, SwsFilter *dstFilter, const double *param)</c>; 0 on failure.
    /// </summary>
    [LibraryImport(LibraryName)]
    public static partial nint sws_getContext(
        int srcW, int srcH, int srcFormat, int dstW, int dstH, int dstFormat, int flags, nint srcFilter, nint dstFilter, nint param);

    /// <summary>
    /// <c>int sws_scale(struct SwsContext *c, const uint8_t *const srcSlice[], const int srcStride[], int srcSliceY,
    /// int srcSliceH, uint8_t *const dst[], const int dstStride[])</c>: the output height, or negative.
    /// </summary>
    [LibraryImport(LibraryName)]
    public static unsafe partial int sws_scale(
        SwsContextHandle c, byte** srcSlice, int* srcStride, int srcSliceY, int srcSliceH, byte** dst, int* dstStride);

    /// <summary><c>void sws_freeContext(struct SwsContext *swsContext)</c>.</summary>
    [LibraryImport(LibraryName)]
    public static partial void sws_freeContext(nint swsContext);

    /// <summary>
    /// <c>int sws_getColorspaceDetails(struct SwsContext *c, int **inv_table, int *srcRange, int **table,
    /// int *dstRange, int *brightness, int *contrast, int *saturation)</c>.
    /// </summary>
    [LibraryImport(LibraryName)]
    public static unsafe partial int sws_getColorspaceDetails(
        SwsContextHandle c, int** invTable, int* srcRange, int** table, int* dstRange, int* brightness, int* contrast, int* saturation);

    /// <summary>
    /// <c>int sws_setColorspaceDetails(struct SwsContext *c, const int inv_table[4], int srcRange, const int table[4],
    /// int dstRange, int brightness, int contrast, int saturation)</c>.
    /// </summary>
    [LibraryImport(LibraryName)]
    public static unsafe partial int sws_setColorspaceDetails(
        SwsContextHandle c, int* invTable, int srcRange, int* table, int dstRange, int brightness, int contrast, int saturation);
}
