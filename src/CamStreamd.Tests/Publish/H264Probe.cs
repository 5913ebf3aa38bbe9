using System.Globalization;

namespace CamStreamd.Tests.Publish;

/// <summary>What ffprobe and ffmpeg say about a recorded file: frames decoded, the first frame's type, decode errors, duration.</summary>
internal static class H264Probe
{
    /// <summary>Frames ffprobe decodes in <paramref name="path"/>, its size and duration (NaN when the container has none).</summary>
    public static async Task<(int Frames, int Width, int Height, double Duration)> CountAsync(string path)
    {
        var result = await PeerProcess.RunAsync("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames,width,height:format=duration", "-of", "default=nw=1", path], TimeSpan.FromSeconds(60), "ffmpeg");
        Assert.True(result.ExitCode == 0, $"ffprobe {path}: exit {result.ExitCode}\n{result.StandardError}");
        var values = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        return (
            int.Parse(values.GetValueOrDefault("nb_read_frames", "0"), CultureInfo.InvariantCulture),
            int.Parse(values.GetValueOrDefault("width", "0"), CultureInfo.InvariantCulture),
            int.Parse(values.GetValueOrDefault("height", "0"), CultureInfo.InvariantCulture),
            double.TryParse(values.GetValueOrDefault("duration"), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : double.NaN);
    }

    /// <summary>True when the first decoded frame of <paramref name="path"/> is a keyframe.</summary>
    public static async Task<bool> FirstFrameIsKeyAsync(string path)
    {
        var result = await PeerProcess.RunAsync("ffprobe", ["-v", "error", "-select_streams", "v:0", "-read_intervals", "%+#1", "-show_entries", "frame=key_frame,pict_type", "-of", "csv=p=0", path], TimeSpan.FromSeconds(60), "ffmpeg");
        Assert.True(result.ExitCode == 0, $"ffprobe {path}: exit {result.ExitCode}\n{result.StandardError}");
        var first = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries)[0].Trim();
        return first.StartsWith("1,I", StringComparison.Ordinal);
    }

    /// <summary>What ffmpeg prints at level error while decoding all of <paramref name="path"/> (empty: no error).</summary>
    public static async Task<string> DecodeErrorsAsync(string path)
    {
        var result = await PeerProcess.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-f", "null", "-"], TimeSpan.FromSeconds(120), "ffmpeg");
        return result.ExitCode == 0 ? result.StandardError.Trim() : $"exit {result.ExitCode}: {result.StandardError}";
    }
}
