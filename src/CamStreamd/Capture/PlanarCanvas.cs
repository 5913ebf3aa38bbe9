using CamStreamd.Media;

namespace CamStreamd.Capture;

/// <summary>
/// Row-oriented drawing on an I420 <see cref="VideoFrame"/>: every primitive is a run of
/// <see cref="Span{T}.Fill"/> or <see cref="Span{T}.CopyTo"/> calls, never a per-pixel loop
/// over the whole picture. Chroma is drawn at half resolution, rounding the rectangle outwards.
/// </summary>
internal readonly ref struct PlanarCanvas
{
    private readonly Span<byte> _y;
    private readonly Span<byte> _u;
    private readonly Span<byte> _v;

    public PlanarCanvas(VideoFrame frame)
    {
        _y = frame.Y;
        _u = frame.U;
        _v = frame.V;
        Width = frame.Width;
        Height = frame.Height;
        ChromaWidth = frame.ChromaWidth;
        ChromaHeight = frame.ChromaHeight;
    }

    public int Width { get; }

    public int Height { get; }

    public int ChromaWidth { get; }

    public int ChromaHeight { get; }

    public Span<byte> LumaRow(int row) => _y.Slice(row * Width, Width);

    public Span<byte> URow(int row) => _u.Slice(row * ChromaWidth, ChromaWidth);

    public Span<byte> VRow(int row) => _v.Slice(row * ChromaWidth, ChromaWidth);

    /// <summary>Copies luma row <paramref name="source"/> onto rows <paramref name="from"/>..<paramref name="to"/> (exclusive).</summary>
    public void RepeatLumaRow(int source, int from, int to)
    {
        var row = LumaRow(source);
        for (var r = from; r < to; r++)
        {
            row.CopyTo(LumaRow(r));
        }
    }

    /// <summary>Copies chroma row <paramref name="source"/> of both planes onto rows from..to (exclusive).</summary>
    public void RepeatChromaRow(int source, int from, int to)
    {
        var u = URow(source);
        var v = VRow(source);
        for (var r = from; r < to; r++)
        {
            u.CopyTo(URow(r));
            v.CopyTo(VRow(r));
        }
    }

    /// <summary>Fills a rectangle, clipped to the picture.</summary>
    public void FillRect(int x, int y, int w, int h, YuvColor color)
    {
        var x0 = Math.Max(0, x);
        var y0 = Math.Max(0, y);
        var x1 = Math.Min(Width, x + w);
        var y1 = Math.Min(Height, y + h);
        if (x1 <= x0 || y1 <= y0)
        {
            return;
        }

        for (var r = y0; r < y1; r++)
        {
            LumaRow(r)[x0..x1].Fill(color.Y);
        }

        var cx0 = x0 / 2;
        var cx1 = Math.Min(ChromaWidth, (x1 + 1) / 2);
        var cy1 = Math.Min(ChromaHeight, (y1 + 1) / 2);
        for (var r = y0 / 2; r < cy1; r++)
        {
            URow(r)[cx0..cx1].Fill(color.U);
            VRow(r)[cx0..cx1].Fill(color.V);
        }
    }
}
