using System.Globalization;

namespace CamStreamd.Tests.TestSupport;

/// <summary>Reads ffmpeg's machine-readable progress (<c>-progress pipe:1</c>).</summary>
internal static class FfmpegProgress
{
    /// <summary>The arguments that make ffmpeg report progress on stdout.</summary>
    public static readonly string[] Arguments = ["-stats_period", "0.5", "-progress", "pipe:1"];

    /// <summary>The last <c>frame=N</c> ffmpeg reported: frames decoded and passed to the output.</summary>
    public static int DecodedFrames(PeerProcess.Result result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var last = result.StandardOutput.Split('\n').LastOrDefault(line => line.StartsWith("frame=", StringComparison.Ordinal));
        return last is null ? 0 : int.Parse(last["frame=".Length..].Trim(), CultureInfo.InvariantCulture);
    }
}
