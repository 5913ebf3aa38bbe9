using System.Diagnostics;
using System.Globalization;
using CamStreamd.Media.H264;

namespace CamStreamd.Tests.Composite;

/// <summary>Raw H.264 clips made by the real ffmpeg (libx264, no B-frames): split into access units and cached per size, or as bytes of any lavfi source.</summary>
internal static class H264Clips
{
    private static readonly Dictionary<string, byte[][]> Cache = [];

    /// <summary><paramref name="frames"/> access units of a moving test picture, an IDR every <paramref name="gop"/>.</summary>
    public static byte[][] Make(int width, int height, int frames = 30, int gop = 10)
    {
        var key = $"{width}x{height}x{frames}x{gop}";
        lock (Cache)
        {
            if (Cache.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var data = Encode($"testsrc2=size={width}x{height}:rate=30", frames, gop);
            var units = AccessUnitSplitter.Split(data).Select(u => data.AsSpan(u.Offset, u.Length).ToArray()).ToArray();
            Assert.Equal(frames, units.Length);
            Cache[key] = units;
            return units;
        }
    }

    /// <summary>Annex-B H.264 of <paramref name="frames"/> pictures of the lavfi source <paramref name="lavfi"/>, an IDR every <paramref name="gop"/>.</summary>
    public static byte[] Encode(string lavfi, int frames, int gop)
    {
        var path = Path.Combine(Path.GetTempPath(), $"camstreamd-clip-{Guid.NewGuid():N}.h264");
        var inv = CultureInfo.InvariantCulture;
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["-v", "error", "-f", "lavfi", "-i", lavfi, "-frames:v", frames.ToString(inv),
                     "-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", gop.ToString(inv), "-pix_fmt", "yuv420p", "-f", "h264", path])
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "ffmpeg did not finish");
        Assert.True(process.ExitCode == 0, "ffmpeg failed: " + error);
        var data = File.ReadAllBytes(path);
        File.Delete(path);
        return data;
    }
}
