namespace CamStreamd.Capture;

/// <summary>
/// Large block capitals on a 5x7 grid, drawn as filled squares: just the letters of the "NO SIGNAL"
/// card (no text rendering library). Each glyph row is 5 bits, the leftmost pixel in bit 4.
/// </summary>
internal static class BlockFont
{
    /// <summary>Grid columns per glyph.</summary>
    public const int Columns = 5;

    /// <summary>Grid rows per glyph.</summary>
    public const int Rows = 7;

    /// <summary>Width of one character cell in grid units (glyph plus one column of space).</summary>
    public const int CellColumns = Columns + 1;

    /// <summary>Draws <paramref name="text"/> (A, G, I, L, N, O, S and space) at (x, y) with grid squares of <paramref name="unit"/> pixels.</summary>
    public static void DrawText(PlanarCanvas canvas, string text, int x, int y, int unit, YuvColor color)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var glyph = Glyph(text[i]);
            var left = x + (i * CellColumns * unit);
            for (var row = 0; row < Rows; row++)
            {
                var bits = glyph[row];
                for (var column = 0; column < Columns; column++)
                {
                    if ((bits & (0x10 >> column)) != 0)
                    {
                        canvas.FillRect(left + (column * unit), y + (row * unit), unit, unit, color);
                    }
                }
            }
        }
    }

    /// <summary>Width in pixels of <paramref name="characters"/> cells (without the trailing space column).</summary>
    public static int TextWidth(int characters, int unit) => ((characters * CellColumns) - 1) * unit;

    private static ReadOnlySpan<byte> Glyph(char c) => c switch
    {
        'A' => [0x0E, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11],
        'G' => [0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F],
        'I' => [0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E],
        'L' => [0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F],
        'N' => [0x11, 0x19, 0x15, 0x13, 0x11, 0x11, 0x11],
        'O' => [0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E],
        'S' => [0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E],
        _ => [0, 0, 0, 0, 0, 0, 0],
    };
}
