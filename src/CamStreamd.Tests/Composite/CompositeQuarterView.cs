using Xunit.Abstractions;

namespace CamStreamd.Tests.Composite;

/// <summary>
/// What the composite camera tests share: a 640x480 composite watched by a <see cref="RawVideoViewer"/>
/// scaled to a quarter (160x120 I420: less to pipe and inspect on a busy machine), each tile told
/// by its colour, and the viewer's run checked for decoder errors and the composite's pace.
/// </summary>
internal static class CompositeQuarterView
{
    /// <summary>The viewer's picture width.</summary>
    public const int Width = 160;

    /// <summary>The viewer's picture height.</summary>
    public const int Height = 120;

    // BT.601 limited range, as videotestsrc converts them (checked: ff0000 decodes to 81,90,240).
    private static readonly (string Name, (int Y, int U, int V) Yuv)[] Palette =
    [
        ("red", (81, 90, 240)),
        ("green", (145, 54, 34)),
        ("blue", (41, 240, 110)),
        ("white", (235, 128, 128)),
        ("black", (16, 128, 128)),
    ];

    /// <summary>The reference Y, U, V of a palette colour ("red", "green", "blue", "white", "black").</summary>
    public static (int Y, int U, int V) Yuv(string colour) => Palette.Single(p => p.Name == colour).Yuv;

    /// <summary>The nearest palette colour of the 8x8 block at (<paramref name="x"/>, <paramref name="y"/>), or "other(y,u,v)".</summary>
    public static string Classify(byte[] picture, int x, int y)
    {
        int sy = 0, su = 0, sv = 0;
        for (var r = 0; r < 8; r++)
        {
            for (var c = 0; c < 8; c++)
            {
                sy += picture[((y + r) * Width) + x + c];
            }
        }

        var chroma = Width * Height;
        for (var r = 0; r < 4; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                var i = (((y / 2) + r) * (Width / 2)) + (x / 2) + c;
                su += picture[chroma + i];
                sv += picture[chroma + (chroma / 4) + i];
            }
        }

        var (py, pu, pv) = (sy / 64, su / 16, sv / 16);
        var best = $"other({py},{pu},{pv})";
        var bestDistance = 30 * 30;
        foreach (var (name, yuv) in Palette)
        {
            var d = ((py - yuv.Y) * (py - yuv.Y)) + ((pu - yuv.U) * (pu - yuv.U)) + ((pv - yuv.V) * (pv - yuv.V));
            if (d < bestDistance)
            {
                (best, bestDistance) = (name, d);
            }
        }

        return best;
    }

    /// <summary>The Y/U/V of the pixel at (<paramref name="x"/>, <paramref name="y"/>), for failure messages.</summary>
    public static string Describe(byte[] picture, int x, int y)
    {
        var chroma = Width * Height;
        var i = ((y / 2) * (Width / 2)) + (x / 2);
        return $"{picture[(y * Width) + x]}/{picture[chroma + i]}/{picture[chroma + (chroma / 4) + i]}";
    }

    /// <summary>
    /// The viewer decoded throughout without an error, at the composite's pace: every picture due
    /// at <paramref name="fps"/> over the stream time came, with no timestamp gap over three frame
    /// periods. <paramref name="context"/> is added to the gap's failure message.
    /// </summary>
    public static void AssertDecodedAtPace(RawVideoViewer viewer, double fps, ITestOutputHelper output, string context = "")
    {
        Assert.True(viewer.Running, "the viewer ended:\n" + string.Join('\n', viewer.Log));
        var errors = viewer.Log.Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("corrupt", StringComparison.OrdinalIgnoreCase) || l.Contains("concealing", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(errors.Count == 0, "the viewer reported errors:\n" + string.Join('\n', errors));
        var pts = viewer.Pts;
        var gaps = pts.Zip(pts.Skip(1), (a, b) => b - a).ToList();
        var longest = gaps.Max();
        var gapAt = gaps.IndexOf(longest);
        var expected = (pts[^1] - pts[0]) * fps;
        output.WriteLine($"{pts.Count} pictures over {pts[^1] - pts[0]:F1} s of stream time ({expected:F0} due at {fps} fps); longest pts gap {longest:F3} s");
        Assert.True(longest <= (3 / fps) + 0.001, $"a gap of {longest:F3} s in the composite's timestamps after picture {gapAt} (pts {pts[gapAt]:F3} s of {pts[^1]:F3} s){context}");
        Assert.True(pts.Count >= expected * 0.95, $"{pts.Count} pictures where {expected:F0} were due");
    }
}
