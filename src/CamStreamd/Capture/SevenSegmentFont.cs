namespace CamStreamd.Capture;

/// <summary>
/// A scalable seven-segment digit font drawn as filled rectangles, cheap enough to redraw every frame.
/// </summary>
/// <remarks>
/// Segment bits (bit 0 = a ... bit 6 = g):
/// <code>
///   aaa
///  f   b
///   ggg
///  e   c
///   ddd
/// </code>
/// A digit cell is <c>height / 2</c> wide; the stroke is <c>height / 8</c> thick.
/// </remarks>
internal static class SevenSegmentFont
{
    private static ReadOnlySpan<byte> Segments => [0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F];

    /// <summary>Width of one digit cell for a digit <paramref name="height"/> pixels tall.</summary>
    public static int DigitWidth(int height) => height / 2;

    /// <summary>Draws <paramref name="digit"/> (0..9) with its top-left corner at (x, y).</summary>
    public static void DrawDigit(PlanarCanvas canvas, int digit, int x, int y, int height, YuvColor color)
    {
        var mask = Segments[digit];
        var w = DigitWidth(height);
        var t = Math.Max(2, height / 8);
        var half = height / 2;
        if ((mask & 0x01) != 0)
        {
            canvas.FillRect(x, y, w, t, color); // a
        }

        if ((mask & 0x02) != 0)
        {
            canvas.FillRect(x + w - t, y, t, half + (t / 2), color); // b
        }

        if ((mask & 0x04) != 0)
        {
            canvas.FillRect(x + w - t, y + half - (t / 2), t, height - half + (t / 2), color); // c
        }

        if ((mask & 0x08) != 0)
        {
            canvas.FillRect(x, y + height - t, w, t, color); // d
        }

        if ((mask & 0x10) != 0)
        {
            canvas.FillRect(x, y + half - (t / 2), t, height - half + (t / 2), color); // e
        }

        if ((mask & 0x20) != 0)
        {
            canvas.FillRect(x, y, t, half + (t / 2), color); // f
        }

        if ((mask & 0x40) != 0)
        {
            canvas.FillRect(x, y + half - (t / 2), w, t, color); // g
        }
    }

    /// <summary>
    /// Draws <paramref name="value"/> as exactly <paramref name="digits"/> decimal digits (leading
    /// zeros, higher digits dropped) starting at (x, y), with a gap of a stroke between cells.
    /// Returns the x after the last cell.
    /// </summary>
    public static int DrawNumber(PlanarCanvas canvas, long value, int digits, int x, int y, int height, YuvColor color)
    {
        var cell = DigitWidth(height) + Math.Max(2, height / 8);
        var v = Math.Abs(value);
        for (var i = digits - 1; i >= 0; i--)
        {
            DrawDigit(canvas, (int)(v % 10), x + (i * cell), y, height, color);
            v /= 10;
        }

        return x + (digits * cell);
    }
}
