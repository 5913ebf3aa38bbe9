namespace CamStreamd.Interop.FFmpeg;

/// <summary>The FFmpeg libraries this process loaded.</summary>
/// <param name="Release">FFmpeg release series (<c>5.1</c>, <c>6.x</c>, <c>7.x</c>).</param>
/// <param name="AvcodecMajor">libavcodec major version (59, 60 or 61).</param>
/// <param name="AvcodecVersion">libavcodec version as major.minor.micro.</param>
/// <param name="AvutilVersion">libavutil version as major.minor.micro.</param>
/// <param name="AvcodecSoname">The libavcodec soname that was loaded.</param>
/// <param name="AvutilSoname">The libavutil soname that was loaded.</param>
public sealed record FFmpegVersionInfo(
    string Release, int AvcodecMajor, string AvcodecVersion, string AvutilVersion, string AvcodecSoname, string AvutilSoname)
{
    /// <summary>Formats an <c>AV_VERSION_INT</c> ((major &lt;&lt; 16) | (minor &lt;&lt; 8) | micro) as text.</summary>
    public static string Format(uint versionInt) =>
        $"{versionInt >> 16}.{(versionInt >> 8) & 0xFF}.{versionInt & 0xFF}";
}
