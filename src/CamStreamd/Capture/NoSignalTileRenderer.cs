using CamStreamd.Media;

namespace CamStreamd.Capture;

/// <summary>
/// The card of a composite input without pictures for <c>holdSeconds</c>: its tile turns black
/// and shows the input's name over "NO SIGNAL" in block letters, centred, as large as fits.
/// Drawn once when the tile turns, not per frame.
/// </summary>
internal static class NoSignalTileRenderer
{
    /// <summary>Paints tile (<paramref name="x"/>, <paramref name="y"/>, <paramref name="width"/>, <paramref name="height"/>) of <paramref name="frame"/>.</summary>
    public static void Render(VideoFrame frame, int x, int y, int width, int height, string name)
    {
        var canvas = new PlanarCanvas(frame);
        canvas.FillRect(x, y, width, height, YuvColor.Black);

        // Two lines, 7 units high each with 3 units between, 3/4 of the tile's width at most.
        var characters = Math.Max(name.Length, NoSignalRenderer.Text.Length);
        var unit = Math.Min(width * 3 / 4 / (characters * BlockFont.CellColumns), height * 3 / 4 / ((2 * BlockFont.Rows) + 3));
        if (unit < 1)
        {
            return;
        }

        var top = y + ((height - (((2 * BlockFont.Rows) + 3) * unit)) / 2);
        BlockFont.DrawText(canvas, name, x + ((width - BlockFont.TextWidth(name.Length, unit)) / 2), top, unit, YuvColor.White);
        BlockFont.DrawText(canvas, NoSignalRenderer.Text, x + ((width - BlockFont.TextWidth(NoSignalRenderer.Text.Length, unit)) / 2), top + ((BlockFont.Rows + 3) * unit), unit, YuvColor.White);
    }
}
