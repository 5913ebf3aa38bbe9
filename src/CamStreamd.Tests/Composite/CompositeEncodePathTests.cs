using CamStreamd.Capture;
using CamStreamd.Configuration;
using CamStreamd.Encoding;
using CamStreamd.Media;
using CamStreamd.Tests.Encoding;

namespace CamStreamd.Tests.Composite;

/// <summary>
/// The bench's shape (docs/COMPOSITE.md, cost): four inputs of exactly their tile's size into a
/// 2x2 canvas, encoded by x264. What it must not cost: a tile-sized picture is copied once into
/// the canvas, bit for bit (no scaling filter, no colour conversion), only when its input has a
/// new picture; and the canvas goes to x264 in place, never copied or converted again.
/// </summary>
public class CompositeEncodePathTests
{
    [Fact]
    public async Task Tile_sized_pictures_are_copied_once_per_new_picture_and_the_canvas_is_lent_to_x264_without_a_copy()
    {
        const int width = 640, height = 360;
        var inputs = Enumerable.Range(0, 4).Select(i => new FakeCompositeInput($"in{i}")).ToArray();
        var rects = Enumerable.Range(0, 4).Select(i => new CompositeRect(i % 2 * width, i / 2 * height, width, height)).ToArray();

        // 60 fps keeps the test short; the path is the same at 15.
        await using var source = new CompositeSource(2 * width, 2 * height, 60, TimeSpan.FromSeconds(10), YuvColor.Black,
            [.. inputs.Select((input, i) => ((ICompositeInput)input, rects[i], CompositeFits.Stretch))]);
        using var encoder = new X264VideoEncoder(new EncoderSettings(2 * width, 2 * height, Fps: 15, Bitrate: 3_000_000, Gop: 30), new AccessUnitPool(256 * 1024));
        var sink = new CollectingSink { Keep = false };
        for (var i = 0; i < 4; i++)
        {
            SendPattern(inputs[i], width, height, seed: i);
        }

        await EncodeFrames(source, encoder, sink, 5, frame =>
        {
            for (var i = 0; i < 4; i++)
            {
                // A copy, not a filter: every sample of the tile is the input's (a pattern that
                // changes every pixel, so any scaling filter or round trip through another format shows).
                AssertPattern(frame, rects[i], seed: i);
            }
        });

        // Four pictures, four tile copies, however many frames went out.
        Assert.Equal(4, source.TilesScaled);

        SendPattern(inputs[1], width, height, seed: 5);
        SendPattern(inputs[2], width, height, seed: 6);
        await EncodeFrames(source, encoder, sink, 5, frame =>
        {
            AssertPattern(frame, rects[0], seed: 0);
            AssertPattern(frame, rects[1], seed: 5);
            AssertPattern(frame, rects[2], seed: 6);
            AssertPattern(frame, rects[3], seed: 3);
        });
        Assert.Equal(6, source.TilesScaled);

        // Every composed frame went to x264 (the engine's direct binding) in the canvas's own memory: no staging copy, no conversion.
        Assert.Equal(10, encoder.FramesEncoded);
        Assert.Equal(10, encoder.PicturesLent);
        Assert.Equal(0, encoder.Conversions);
        Assert.Equal(10, encoder.UnitsPublished);
    }

    private static async Task EncodeFrames(CompositeSource source, X264VideoEncoder encoder, CollectingSink sink, int count, Action<VideoFrame> check)
    {
        for (var n = 0; n < count; n++)
        {
            var frame = await source.ReadFrameAsync(CancellationToken.None);
            try
            {
                check(frame);
                encoder.Encode(frame, sink);
            }
            finally
            {
                frame.Release();
            }
        }
    }

    private static byte Sample(int x, int y, int seed, int plane) => (byte)(((x * 7) + (y * 13) + (seed * 31) + (plane * 101)) & 0xFF);

    private static void SendPattern(FakeCompositeInput input, int width, int height, int seed)
    {
        var frame = new VideoFrame(input, width, height);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                frame.Y[(y * width) + x] = Sample(x, y, seed, 0);
            }
        }

        for (var y = 0; y < height / 2; y++)
        {
            for (var x = 0; x < width / 2; x++)
            {
                frame.U[(y * frame.ChromaWidth) + x] = Sample(x, y, seed, 1);
                frame.V[(y * frame.ChromaWidth) + x] = Sample(x, y, seed, 2);
            }
        }

        input.Slot.PublishCopy(frame);
        input.Counters.AddPicture();
    }

    private static void AssertPattern(VideoFrame canvas, CompositeRect rect, int seed)
    {
        var wrong = 0;
        for (var y = 0; y < rect.Height; y++)
        {
            for (var x = 0; x < rect.Width; x++)
            {
                wrong += canvas.Y[((rect.Y + y) * canvas.Width) + rect.X + x] == Sample(x, y, seed, 0) ? 0 : 1;
            }
        }

        for (var y = 0; y < rect.Height / 2; y++)
        {
            for (var x = 0; x < rect.Width / 2; x++)
            {
                var i = (((rect.Y / 2) + y) * canvas.ChromaWidth) + (rect.X / 2) + x;
                wrong += canvas.U[i] == Sample(x, y, seed, 1) && canvas.V[i] == Sample(x, y, seed, 2) ? 0 : 1;
            }
        }

        Assert.True(wrong == 0, $"{wrong} samples of the tile at ({rect.X}, {rect.Y}) differ from the input's picture");
    }
}
