using System.Diagnostics;
using CamStreamd.Capture;
using CamStreamd.Configuration;
using CamStreamd.Encoding;

namespace CamStreamd.Tests.Composite;

/// <summary>
/// One tile's state at chosen instants: the compositor passes the time to <c>Update</c>, so the
/// live → holding → noSignal steps are checked exactly, with no clock racing the test.
/// </summary>
public class CompositeTileTests
{
    private static readonly (byte Y, byte U, byte V) Red = (81, 90, 240);

    [Fact]
    public void A_tile_is_live_for_a_second_after_its_last_picture_then_holding_then_noSignal_at_the_hold_and_live_again_with_a_new_picture()
    {
        var input = new FakeCompositeInput("door");
        var canvas = new CompositeCanvas(320, 180);
        var hold = TimeSpan.FromSeconds(1.5);
        using var tile = new CompositeTile(input, new CompositeRect(0, 0, 320, 180), CompositeFits.Stretch, canvas, new TileScaler(), YuvColor.Black, hold);
        var second = Stopwatch.Frequency;

        tile.Update(Stopwatch.GetTimestamp());
        Assert.Equal("waiting", input.Counters.State);

        input.Send(320, 240, Red);
        var last = input.Slot.LastPictureTicks;
        tile.Update(last);
        Assert.Equal("live", input.Counters.State);
        Assert.Equal(1, tile.Scaled);
        AssertCorner(canvas, Red.Y);

        tile.Update(last + second);
        Assert.Equal("live", input.Counters.State);
        tile.Update(last + second + 1);
        Assert.Equal("holding", input.Counters.State);
        tile.Update(last + (second * 3 / 2) - 1);
        Assert.Equal("holding", input.Counters.State);
        AssertCorner(canvas, Red.Y);

        tile.Update(last + (second * 3 / 2));
        Assert.Equal("noSignal", input.Counters.State);
        AssertCorner(canvas, YuvColor.Black.Y);

        input.Send(320, 240, Red);
        tile.Update(input.Slot.LastPictureTicks);
        Assert.Equal("live", input.Counters.State);
        Assert.Equal(2, tile.Scaled);
        AssertCorner(canvas, Red.Y);
    }

    private static void AssertCorner(CompositeCanvas canvas, byte expected) =>
        Assert.True(Math.Abs(canvas.Frame.Y[0] - expected) <= 2, $"corner luma {canvas.Frame.Y[0]}, expected {expected}");
}
