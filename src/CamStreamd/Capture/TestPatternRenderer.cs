using System.Diagnostics;
using CamStreamd.Media;

namespace CamStreamd.Capture;

/// <summary>
/// Draws the synthetic test picture: scrolling colour bars (top two thirds), a scrolling luma
/// ramp (bottom third), a bouncing box, and the frame counter and stream time in large
/// seven-segment digits on a black panel (top left), and along the bottom edge a time stripe:
/// the frame's capture time as 32 black/white cells a decoding client can read back (end-to-end
/// latency, <c>bench/</c>). Each region's first row is computed and then copied down, so a
/// 1280x720 frame costs a few memcpy-sized passes and no allocation.
/// </summary>
internal static class TestPatternRenderer
{
    /// <summary>Pixels the bars and ramp scroll per frame.</summary>
    public const int ScrollPerFrame = 4;

    /// <summary>Digits of the frame counter.</summary>
    public const int CounterDigits = 6;

    /// <summary>Cells in the time stripe: the low 32 bits of the capture time in milliseconds, most significant first.</summary>
    public const int TimeStripeBits = 32;

    private static readonly YuvColor[] Bars =
    [
        YuvColor.White, YuvColor.Yellow, YuvColor.Cyan, YuvColor.Green,
        YuvColor.Magenta, YuvColor.Red, YuvColor.Blue, YuvColor.Black,
    ];

    /// <summary>The panel holding the digits: (x, y, width, height) in luma pixels, all even.</summary>
    public static (int X, int Y, int Width, int Height) DigitPanel(int width, int height)
    {
        var digitHeight = DigitHeight(height);
        var cell = SevenSegmentFont.DigitWidth(digitHeight) + Math.Max(2, digitHeight / 8);
        var margin = Math.Max(2, digitHeight / 4) & ~1;
        var panelWidth = Math.Min(width, (2 * margin) + (CounterDigits * cell)) & ~1;
        var panelHeight = Math.Min(height, (3 * margin) + digitHeight + (digitHeight / 2)) & ~1;
        return (0, 0, panelWidth, panelHeight);
    }

    /// <summary>
    /// The time stripe: (x, y, cell width, height) in luma pixels. Cells are 1/40 of the width
    /// (32 pixels at 1280: two 16x16 macroblocks, so an encoder keeps each cell one flat colour).
    /// </summary>
    public static (int X, int Y, int CellWidth, int Height) TimeStripe(int width, int height)
    {
        var cell = Math.Max(2, (width / 40) & ~1);
        var stripeHeight = Math.Min(16, Math.Max(2, (height / 16) & ~1));
        return (0, height - stripeHeight, cell, stripeHeight);
    }

    /// <summary>
    /// The capture time drawn in the stripe: <see cref="VideoFrame.CaptureTimestamp"/> in whole
    /// milliseconds, low 32 bits (on Linux the Stopwatch is CLOCK_MONOTONIC, which any process can read).
    /// </summary>
    public static uint StripeMilliseconds(long captureTimestamp) =>
        unchecked((uint)(long)((Int128)captureTimestamp * 1000 / Stopwatch.Frequency));

    /// <summary>Reads the time stripe back from a luma plane of <paramref name="width"/>x<paramref name="height"/> (tightly packed).</summary>
    public static uint ReadTimeStripe(ReadOnlySpan<byte> luma, int width, int height)
    {
        var stripe = TimeStripe(width, height);
        var row = (stripe.Y + (stripe.Height / 2)) * width;
        uint value = 0;
        for (var bit = 0; bit < TimeStripeBits; bit++)
        {
            var center = row + stripe.X + (bit * stripe.CellWidth) + (stripe.CellWidth / 2);
            value = (value << 1) | (luma[center] >= 128 ? 1u : 0u);
        }

        return value;
    }

    /// <summary>Renders frame <paramref name="frameNumber"/> at <paramref name="streamTimeMilliseconds"/> into <paramref name="frame"/>.</summary>
    public static void Render(VideoFrame frame, long frameNumber, long streamTimeMilliseconds)
    {
        var canvas = new PlanarCanvas(frame);
        var width = canvas.Width;
        var height = canvas.Height;
        var barsEnd = Math.Max(2, (height * 2 / 3) & ~1);
        var shift = (int)(frameNumber * ScrollPerFrame % width);

        // Colour bars: one luma and one chroma row, then copied down.
        var luma = canvas.LumaRow(0);
        for (var x = 0; x < width; x++)
        {
            luma[x] = Bars[BarIndex(x, shift, width)].Y;
        }

        var u = canvas.URow(0);
        var v = canvas.VRow(0);
        for (var cx = 0; cx < canvas.ChromaWidth; cx++)
        {
            var bar = Bars[BarIndex(cx * 2, shift, width)];
            u[cx] = bar.U;
            v[cx] = bar.V;
        }

        canvas.RepeatLumaRow(0, 1, Math.Min(barsEnd, height));
        canvas.RepeatChromaRow(0, 1, Math.Min(barsEnd / 2, canvas.ChromaHeight));

        // Luma ramp scrolling the other way, neutral chroma.
        if (barsEnd < height)
        {
            var ramp = canvas.LumaRow(barsEnd);
            for (var x = 0; x < width; x++)
            {
                var position = (x + width - shift) % width;
                ramp[x] = (byte)(16 + (position * 219 / width));
            }

            canvas.RepeatLumaRow(barsEnd, barsEnd + 1, height);
            for (var r = barsEnd / 2; r < canvas.ChromaHeight; r++)
            {
                canvas.URow(r).Fill(128);
                canvas.VRow(r).Fill(128);
            }
        }

        // Bouncing box.
        var box = Math.Max(2, (height / 6) & ~1);
        var boxX = Bounce(frameNumber * 6, Math.Max(1, width - box)) & ~1;
        var boxY = Bounce(frameNumber * 4, Math.Max(1, height - box)) & ~1;
        canvas.FillRect(boxX, boxY, box, box, YuvColor.Red);
        canvas.FillRect(boxX + (box / 4), boxY + (box / 4), box / 2, box / 2, YuvColor.White);

        // Counter and stream time (seconds, then milliseconds in smaller digits).
        var panel = DigitPanel(width, height);
        canvas.FillRect(panel.X, panel.Y, panel.Width, panel.Height, YuvColor.Black);
        var digitHeight = DigitHeight(height);
        var margin = Math.Max(2, digitHeight / 4) & ~1;
        SevenSegmentFont.DrawNumber(canvas, frameNumber, CounterDigits, margin, margin, digitHeight, YuvColor.White);
        var small = Math.Max(8, digitHeight / 2);
        var timeY = (2 * margin) + digitHeight;
        var next = SevenSegmentFont.DrawNumber(canvas, streamTimeMilliseconds / 1000, 4, margin, timeY, small, YuvColor.Yellow);
        SevenSegmentFont.DrawNumber(canvas, streamTimeMilliseconds % 1000, 3, next + margin, timeY, small, YuvColor.Cyan);

        // Time stripe last, over whatever the box left there.
        var stripe = TimeStripe(width, height);
        var milliseconds = StripeMilliseconds(frame.CaptureTimestamp);
        for (var bit = 0; bit < TimeStripeBits && stripe.X + ((bit + 1) * stripe.CellWidth) <= width; bit++)
        {
            var one = ((milliseconds >> (TimeStripeBits - 1 - bit)) & 1) != 0;
            canvas.FillRect(stripe.X + (bit * stripe.CellWidth), stripe.Y, stripe.CellWidth, stripe.Height, one ? YuvColor.White : YuvColor.Black);
        }
    }

    private static int DigitHeight(int height) => Math.Max(16, (height / 9) & ~1);

    private static int BarIndex(int x, int shift, int width) => (int)(((long)(x + shift) % width) * Bars.Length / width);

    /// <summary>A triangle wave 0..range..0 over 2·range steps.</summary>
    private static int Bounce(long step, int range)
    {
        var phase = (int)(step % (2L * range));
        return phase <= range ? phase : (2 * range) - phase;
    }
}
