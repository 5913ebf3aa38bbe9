using System.Diagnostics;
using CamStreamd.Media;

namespace CamStreamd.Tests.Encoding;

/// <summary>Moving-gradient I420 frames with capture times spaced at the frame rate.</summary>
internal sealed class SyntheticFrames(int width, int height, int fps)
{
    private readonly VideoFramePool _pool = new(width, height);
    private readonly long _start = Stopwatch.GetTimestamp();

    public VideoFrame Make(int index)
    {
        var frame = _pool.Rent();
        var y = frame.Y;
        for (var row = 0; row < height; row++)
        {
            var line = y.Slice(row * width, width);
            for (var x = 0; x < width; x++)
            {
                line[x] = (byte)(x + row + (4 * index));
            }
        }

        var u = frame.U;
        var v = frame.V;
        for (var i = 0; i < u.Length; i++)
        {
            var cx = i % frame.ChromaWidth;
            u[i] = (byte)(96 + ((cx + index) & 63));
            v[i] = (byte)(160 - ((i / frame.ChromaWidth) & 63));
        }

        frame.CaptureTimestamp = _start + (index * Stopwatch.Frequency / fps);
        frame.FrameNumber = index;
        return frame;
    }
}
