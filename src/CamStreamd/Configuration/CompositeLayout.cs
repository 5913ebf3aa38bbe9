namespace CamStreamd.Configuration;

/// <summary>
/// Where each input of a composite goes: its own rectangle, or with <c>"layout": "grid"</c> an even
/// grid of ceil(sqrt(N)) columns and as many rows as needed (1: the whole picture; 2: side by
/// side; 3 and 4: 2x2; 5..9: 3x3). Vertical grid lines fall on multiples of 16 pixels where the
/// picture allows (so each tile's luma and chroma rows start aligned for libswscale); every edge is even.
/// </summary>
public static class CompositeLayout
{
    /// <summary>The value of <c>layout</c> that lays the inputs out evenly.</summary>
    public const string Grid = "grid";

    /// <summary>Grid lines are rounded down to a multiple of this (16: chroma rows of 8-byte multiples start aligned).</summary>
    public const int GridAlignment = 16;

    /// <summary>The rectangle of every input of <paramref name="source"/> (validated options).</summary>
    public static IReadOnlyList<CompositeRect> Resolve(SourceOptions source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var inputs = source.Inputs ?? [];
        if (source.Layout == Grid)
        {
            return ComputeGrid(inputs.Count, source.Width, source.Height);
        }

        return [.. inputs.Select(i => new CompositeRect(i.X ?? 0, i.Y ?? 0, i.Width ?? 0, i.Height ?? 0))];
    }

    /// <summary>The grid of <paramref name="count"/> tiles over a <paramref name="width"/>x<paramref name="height"/> picture, row by row.</summary>
    public static IReadOnlyList<CompositeRect> ComputeGrid(int count, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return [];
        }

        var columns = (int)Math.Ceiling(Math.Sqrt(count));
        var rows = (count + columns - 1) / columns;
        var tiles = new CompositeRect[count];
        for (var i = 0; i < count; i++)
        {
            var (row, column) = (i / columns, i % columns);
            var x0 = Edge(column, columns, width, GridAlignment);
            var x1 = Edge(column + 1, columns, width, GridAlignment);
            var y0 = Edge(row, rows, height, 2);
            var y1 = Edge(row + 1, rows, height, 2);
            tiles[i] = new CompositeRect(x0, y0, x1 - x0, y1 - y0);
        }

        return tiles;
    }

    /// <summary>Grid line <paramref name="index"/> of <paramref name="parts"/> over <paramref name="length"/>: aligned to <paramref name="alignment"/> when the parts stay big enough, else to 2.</summary>
    private static int Edge(int index, int parts, int length, int alignment)
    {
        if (index == parts)
        {
            return length;
        }

        var exact = (long)index * length / parts;
        // Only columns need alignment (a row's start address depends on x and the stride, not on y).
        alignment = length / parts >= 4 * alignment ? alignment : 2;
        return (int)(exact / alignment * alignment);
    }
}
