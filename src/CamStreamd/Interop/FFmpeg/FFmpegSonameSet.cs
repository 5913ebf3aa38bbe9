namespace CamStreamd.Interop.FFmpeg;

/// <summary>
/// The sonames of one FFmpeg release series: libavcodec, libavutil and libswscale majors move
/// together (5.1: 59/57/6, 6.x: 60/58/7, 7.x: 61/59/8).
/// </summary>
/// <param name="Release">FFmpeg release series, for messages (<c>5.1</c>).</param>
/// <param name="AvcodecMajor">libavcodec major version.</param>
/// <param name="AvutilMajor">libavutil major version.</param>
/// <param name="Avcodec">libavcodec soname.</param>
/// <param name="Avutil">libavutil soname.</param>
/// <param name="Swscale">libswscale soname.</param>
internal sealed record FFmpegSonameSet(
    string Release, int AvcodecMajor, int AvutilMajor, string Avcodec, string Avutil, string Swscale)
{
    /// <summary>The supported sets, newest first (the order the loader tries them in).</summary>
    public static IReadOnlyList<FFmpegSonameSet> Supported { get; } =
    [
        new("7.x", 61, 59, "libavcodec.so.61", "libavutil.so.59", "libswscale.so.8"),
        new("6.x", 60, 58, "libavcodec.so.60", "libavutil.so.58", "libswscale.so.7"),
        new("5.1", 59, 57, "libavcodec.so.59", "libavutil.so.57", "libswscale.so.6"),
    ];
}
