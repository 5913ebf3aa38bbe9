using System.Diagnostics;
using CamStreamd.Capture;
using CamStreamd.Configuration;
using CamStreamd.Media;

namespace CamStreamd.Tests.Composite;

/// <summary>The compositor on hand-fed inputs: tiles on pixels (stretch, contain, grid), hold then NO SIGNAL, return, and its own pace.</summary>
public class CompositeSourceTests
{
    private static readonly (byte Y, byte U, byte V) Red = (81, 90, 240);
    private static readonly (byte Y, byte U, byte V) Green = (145, 54, 34);
    private static readonly (byte Y, byte U, byte V) Blue = (41, 240, 110);
    private static readonly (byte Y, byte U, byte V) Yellow = (210, 16, 146);
    private static readonly YuvColor Black = YuvColor.Black;

    [Fact]
    public async Task Contain_letterboxes_a_4_by_3_picture_in_a_16_by_9_tile_and_stretch_fills_its_tile()
    {
        var contained = new FakeCompositeInput("a");
        var stretched = new FakeCompositeInput("b");
        await using var source = new CompositeSource(1280, 720, 15, TimeSpan.FromSeconds(10), CompositeSource.ToYuv((0, 0, 255)),
            [(contained, new CompositeRect(0, 0, 640, 360), CompositeFits.Contain), (stretched, new CompositeRect(640, 0, 640, 360), CompositeFits.Stretch)]);
        contained.Send(320, 240, Red);
        stretched.Send(320, 240, Green);

        var frame = await source.ReadFrameAsync(CancellationToken.None);
        try
        {
            // 4:3 in 640x360: 480x360 at x 80; the bars (x < 80 and x >= 560) are the background (blue).
            var blue = CompositeSource.ToYuv((0, 0, 255));
            AssertLuma(frame, 40, 180, blue.Y);
            AssertLuma(frame, 78, 180, blue.Y);
            AssertLuma(frame, 82, 180, Red.Y);
            AssertLuma(frame, 320, 10, Red.Y);
            AssertLuma(frame, 557, 350, Red.Y);
            AssertLuma(frame, 562, 180, blue.Y);
            AssertLuma(frame, 639, 180, blue.Y);
            AssertChroma(frame, 320, 180, Red.U, Red.V);
            AssertChroma(frame, 20, 180, blue.U, blue.V);

            // Stretch covers its whole tile, edge to edge; the canvas below the tiles is background.
            AssertLuma(frame, 640, 0, Green.Y);
            AssertLuma(frame, 1279, 359, Green.Y);
            AssertLuma(frame, 640, 361, blue.Y);
        }
        finally
        {
            frame.Release();
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(9)]
    public async Task A_grid_of_n_inputs_shows_each_inputs_colour_in_its_tile(int count)
    {
        (byte, byte, byte)[] colours = [Red, Green, Blue, Yellow, (128, 128, 128), (200, 100, 100), (60, 160, 60), (100, 60, 200), (180, 180, 20)];
        var inputs = Enumerable.Range(0, count).Select(i => new FakeCompositeInput($"in{i}")).ToArray();
        var rects = CompositeLayout.ComputeGrid(count, 1280, 720);
        await using var source = new CompositeSource(1280, 720, 15, TimeSpan.FromSeconds(10), Black,
            [.. inputs.Select((input, i) => ((ICompositeInput)input, rects[i], CompositeFits.Stretch))]);
        for (var i = 0; i < count; i++)
        {
            inputs[i].Send(320 + (16 * i), 240, colours[i]);
        }

        var frame = await source.ReadFrameAsync(CancellationToken.None);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var r = rects[i];
                foreach (var (x, y) in (ReadOnlySpan<(int, int)>)[(r.X, r.Y), (r.X + r.Width - 1, r.Y + r.Height - 1), (r.X + (r.Width / 2), r.Y + (r.Height / 2))])
                {
                    AssertLuma(frame, x, y, colours[i].Item1);
                }

                AssertChroma(frame, r.X + (r.Width / 2), r.Y + (r.Height / 2), colours[i].Item2, colours[i].Item3);
            }

            Assert.All(inputs, i => Assert.True(i.Started));
        }
        finally
        {
            frame.Release();
        }
    }

    [Fact]
    public async Task A_lost_input_holds_its_last_picture_then_turns_black_with_its_name_and_comes_back_without_touching_the_other_tile()
    {
        var lost = new FakeCompositeInput("door");
        var steady = new FakeCompositeInput("yard");
        var hold = TimeSpan.FromSeconds(1.5);
        await using var source = new CompositeSource(640, 360, 15, hold, Black,
            [(lost, new CompositeRect(0, 0, 320, 360), CompositeFits.Stretch), (steady, new CompositeRect(320, 0, 320, 360), CompositeFits.Stretch)]);
        lost.Send(320, 240, Red);
        var lastPicture = Stopwatch.GetTimestamp();
        steady.Send(320, 240, Green);

        var states = new List<string>();
        var sawHeld = false;
        var sawBlack = false;
        var blackAfter = TimeSpan.Zero;
        var deadline = Stopwatch.StartNew();
        while (!sawBlack)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "the lost tile never turned black: " + string.Join(',', states.Distinct()));
            steady.Send(320, 240, Green);
            var frame = await source.ReadFrameAsync(CancellationToken.None);
            try
            {
                var age = Stopwatch.GetElapsedTime(lastPicture);
                states.Add(lost.Counters.State);
                var corner = Luma(frame, 4, 4);
                if (corner == Red.Y)
                {
                    // Held: only before holdSeconds have passed.
                    Assert.True(age < hold + TimeSpan.FromSeconds(0.5), $"still the last picture {age.TotalSeconds:F2} s after it");
                    sawHeld |= age > TimeSpan.FromSeconds(0.3);
                }
                else
                {
                    Assert.Equal(Black.Y, corner);
                    Assert.True(age >= hold, $"black after only {age.TotalSeconds:F2} s");
                    blackAfter = age;
                    sawBlack = true;

                    // The label: white block letters somewhere in the tile's middle band, and the other tile untouched.
                    Assert.True(CountLuma(frame, 0, 120, 320, 120, YuvColor.White.Y) > 200, "no white text on the NO SIGNAL tile");
                    AssertLuma(frame, 324, 4, Green.Y);
                    AssertLuma(frame, 639, 359, Green.Y);
                    Assert.Equal("noSignal", lost.Counters.State);
                }
            }
            finally
            {
                frame.Release();
            }
        }

        Assert.True(sawHeld, "the last picture was not held while the input was silent");

        // "holding" lasts half a second here: a loaded machine can keep this loop away for all of it
        // (CI saw only "live" then "noSignal"), so the steps are checked exactly in CompositeTileTests.
        Assert.DoesNotContain("waiting", states);
        Assert.True(blackAfter < hold + TimeSpan.FromSeconds(2), $"black only after {blackAfter.TotalSeconds:F2} s");

        // The input returns: its tile shows its picture at the next frame.
        lost.Send(320, 240, Blue);
        var back = await source.ReadFrameAsync(CancellationToken.None);
        try
        {
            AssertLuma(back, 4, 4, Blue.Y);
            AssertLuma(back, 160, 180, Blue.Y);
            AssertLuma(back, 324, 4, Green.Y);
            Assert.Equal("live", lost.Counters.State);
        }
        finally
        {
            back.Release();
        }
    }

    [Fact]
    public async Task The_output_keeps_its_own_pace_with_an_input_that_sends_nothing_and_only_new_pictures_are_scaled()
    {
        var silent = new FakeCompositeInput("silent");
        var once = new FakeCompositeInput("once");
        const double fps = 20;
        await using var source = new CompositeSource(640, 360, fps, TimeSpan.FromSeconds(10), Black,
            [(silent, new CompositeRect(0, 0, 320, 360), CompositeFits.Stretch), (once, new CompositeRect(320, 0, 320, 360), CompositeFits.Contain)]);
        once.Send(320, 240, Red);

        var stamps = new List<long>();
        var numbers = new List<long>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 30; i++)
        {
            var frame = await source.ReadFrameAsync(CancellationToken.None);
            stamps.Add(frame.CaptureTimestamp);
            numbers.Add(frame.FrameNumber);
            frame.Release();
        }

        // Frames are stamped on the 1/fps grid (n / fps from the start), never early, whatever the inputs do.
        var period = Stopwatch.Frequency / fps;
        for (var i = 1; i < stamps.Count; i++)
        {
            var steps = (numbers[i] - numbers[0]);
            Assert.InRange(stamps[i] - stamps[0], (steps * period) - 2, (steps * period) + 2);
        }

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds((numbers[^1] - numbers[0]) / fps) - TimeSpan.FromMilliseconds(5), "frames came faster than the rate");

        // One picture was sent: it was scaled once, not once per output frame.
        Assert.Equal(1, source.TilesScaled);
        Assert.Equal("waiting", silent.Counters.State);
    }

    private static byte Luma(VideoFrame frame, int x, int y) => frame.Y[(y * frame.Width) + x];

    private static void AssertLuma(VideoFrame frame, int x, int y, byte expected) =>
        Assert.True(Math.Abs(Luma(frame, x, y) - expected) <= 2, $"luma at ({x}, {y}) is {Luma(frame, x, y)}, expected {expected}");

    private static void AssertChroma(VideoFrame frame, int x, int y, byte u, byte v)
    {
        var i = ((y / 2) * frame.ChromaWidth) + (x / 2);
        Assert.True(Math.Abs(frame.U[i] - u) <= 2 && Math.Abs(frame.V[i] - v) <= 2, $"chroma at ({x}, {y}) is {frame.U[i]},{frame.V[i]}, expected {u},{v}");
    }

    private static int CountLuma(VideoFrame frame, int x, int y, int width, int height, byte value)
    {
        var count = 0;
        for (var row = y; row < y + height; row++)
        {
            count += frame.Y.Slice((row * frame.Width) + x, width).Count(value);
        }

        return count;
    }
}
