using CamStreamd.Media;

namespace CamStreamd.Capture;

/// <summary>
/// The placeholder shown while the camera is missing: a dark grey card with "NO SIGNAL" in block
/// letters and, under it, the seconds since the placeholder started in seven-segment digits (so a
/// viewer sees the stream is alive).
/// </summary>
internal static class NoSignalRenderer
{
    /// <summary>The card's text.</summary>
    public const string Text = "NO SIGNAL";

    /// <summary>Background luma (dark grey, limited range).</summary>
    public const byte BackgroundLuma = 40;

    private static readonly YuvColor Background = new(BackgroundLuma, 128, 128);

    /// <summary>Renders placeholder frame <paramref name="frameNumber"/> at <paramref name="streamTimeMilliseconds"/>.</summary>
    public static void Render(VideoFrame frame, long frameNumber, long streamTimeMilliseconds)
    {
        var canvas = new PlanarCanvas(frame);
        canvas.FillRect(0, 0, canvas.Width, canvas.Height, Background);

        // Text fills about 3/4 of the width.
        var unit = Math.Max(1, canvas.Width * 3 / 4 / (Text.Length * BlockFont.CellColumns));
        unit = Math.Min(unit, Math.Max(1, canvas.Height / (3 * BlockFont.Rows)));
        var textWidth = BlockFont.TextWidth(Text.Length, unit);
        var textHeight = BlockFont.Rows * unit;
        var x = Math.Max(0, (canvas.Width - textWidth) / 2);
        var y = Math.Max(0, (canvas.Height / 2) - textHeight);
        BlockFont.DrawText(canvas, Text, x, y, unit, YuvColor.White);

        var digitHeight = Math.Max(16, textHeight / 2) & ~1;
        var cell = SevenSegmentFont.DigitWidth(digitHeight) + Math.Max(2, digitHeight / 8);
        const int digits = 4;
        var digitsX = Math.Max(0, (canvas.Width - (digits * cell)) / 2);
        var digitsY = Math.Min(canvas.Height - digitHeight, y + textHeight + unit * 2);
        if (digitsY >= 0)
        {
            SevenSegmentFont.DrawNumber(canvas, streamTimeMilliseconds / 1000, digits, digitsX, digitsY, digitHeight, YuvColor.Yellow);
        }
    }
}
