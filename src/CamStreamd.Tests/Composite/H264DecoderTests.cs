using CamStreamd.Encoding;
using CamStreamd.Interop.FFmpeg;

namespace CamStreamd.Tests.Composite;

/// <summary>The H.264 decoder on real libx264 streams: clean, corrupt, truncated, and changing size mid-stream; and its probe order.</summary>
public class H264DecoderTests
{
    [Fact]
    public void Every_access_unit_of_a_clean_stream_gives_one_picture_of_its_size()
    {
        var units = H264Clips.Make(320, 240);
        using var decoder = H264Decoder.Open();
        var layout = FFmpegLibraries.Layout;
        var pictures = 0;
        foreach (var unit in units)
        {
            Assert.True(decoder.Decode(unit), $"no picture for unit {pictures}");
            var frame = decoder.Picture.DangerousGetHandle();
            Assert.Equal((320, 240), (layout.FrameWidth(frame), layout.FrameHeight(frame)));
            pictures++;
        }

        Assert.Equal(units.Length, decoder.Pictures);
        Assert.Equal(0, decoder.Failures);

        // No rkmpp or v4l2m2m here: the software decoder, with the reasons the others were skipped.
        Assert.Equal(H264DecoderProbe.Software, decoder.Engine);
        Assert.Equal(2, decoder.Skipped.Count);
        Assert.StartsWith("rkmpp: ", decoder.Skipped[0], StringComparison.Ordinal);
        Assert.StartsWith("v4l2m2m: ", decoder.Skipped[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_truncated_and_garbage_units_are_counted_never_thrown_and_the_next_idr_decodes_cleanly()
    {
        var units = H264Clips.Make(320, 240, frames: 30, gop: 10);
        using var decoder = H264Decoder.Open();
        var random = new Random(17);

        // Units 0..9: the IDR clean, then P frames with bytes flipped past their headers, every other one cut in half.
        Assert.True(decoder.Decode(units[0]));
        for (var i = 1; i < 10; i++)
        {
            var damaged = (byte[])units[i].Clone();
            for (var k = 0; k < 8; k++)
            {
                damaged[random.Next(8, damaged.Length)] ^= (byte)random.Next(1, 256);
            }

            decoder.Decode(i % 2 == 0 ? damaged : damaged.AsSpan(0, damaged.Length / 2));
        }

        // Garbage with start codes, and empty and one-byte units.
        for (var i = 0; i < 20; i++)
        {
            var garbage = new byte[random.Next(5, 2000)];
            random.NextBytes(garbage);
            garbage[0] = 0;
            garbage[1] = 0;
            garbage[2] = 1;
            decoder.Decode(garbage);
        }

        decoder.Decode([]);
        decoder.Decode([0]);

        Assert.True(decoder.Failures > 0, "the decoder rejected nothing of the garbage");
        Assert.NotNull(decoder.LastError);

        // The next IDR (unit 10) and everything after it decode, one picture each.
        var before = decoder.Pictures;
        var failuresBefore = decoder.Failures;
        for (var i = 10; i < units.Length; i++)
        {
            Assert.True(decoder.Decode(units[i]), $"no picture for clean unit {i} after the damage");
        }

        Assert.Equal(units.Length - 10, decoder.Pictures - before);
        Assert.Equal(failuresBefore, decoder.Failures);
    }

    [Fact]
    public void A_resolution_change_mid_stream_gives_pictures_of_the_new_size_and_a_new_scaler()
    {
        var small = H264Clips.Make(320, 240, frames: 10, gop: 10);
        var large = H264Clips.Make(640, 360, frames: 10, gop: 10);
        using var decoder = H264Decoder.Open();
        using var scaler = new TileScaler();
        var layout = FFmpegLibraries.Layout;
        var canvas = new byte[(1280 * 720 * 3) / 2];
        var sizes = new List<(int, int)>();
        unsafe
        {
            fixed (byte* c = canvas)
            {
                var target = new PlanarTarget(c, c + (1280 * 720), c + (1280 * 720) + (640 * 360), 1280, 640, 640, 360);
                foreach (var unit in small.Concat(large).Concat(small))
                {
                    Assert.True(decoder.Decode(unit));
                    var frame = decoder.Picture.DangerousGetHandle();
                    sizes.Add((layout.FrameWidth(frame), layout.FrameHeight(frame)));
                    scaler.Scale(frame, target);
                }
            }
        }

        Assert.Equal([.. Enumerable.Repeat((320, 240), 10), .. Enumerable.Repeat((640, 360), 10), .. Enumerable.Repeat((320, 240), 10)], sizes);
        Assert.Equal(30, scaler.Scales);
        Assert.Equal(3, scaler.ContextsCreated);
        Assert.Equal(0, decoder.Failures);
    }

    [Fact]
    public void The_probe_tries_rkmpp_then_v4l2m2m_then_software_and_says_why_each_was_skipped()
    {
        Assert.Equal(["h264_rkmpp", "h264_v4l2m2m", "h264"], H264DecoderProbe.Order.Select(c => c.Codec));

        var opened = new List<string>();
        var skipped = new List<string>();
        var engine = H264DecoderProbe.Open(
            codecExists: _ => true,
            deviceExists: device => device == "/dev/video*",
            open: candidate =>
            {
                opened.Add(candidate.Engine);
                return candidate.Engine == "v4l2m2m" ? throw new InvalidOperationException("Invalid argument") : candidate.Engine;
            },
            skipped);

        Assert.Equal("software", engine);
        Assert.Equal(["v4l2m2m", "software"], opened);
        Assert.Equal(["rkmpp: device /dev/mpp_service missing", "v4l2m2m: open failed: Invalid argument"], skipped);

        // A board with MPP: rkmpp first, nothing skipped.
        skipped.Clear();
        Assert.Equal("rkmpp", H264DecoderProbe.Open(_ => true, _ => true, c => c.Engine, skipped));
        Assert.Empty(skipped);

        // An FFmpeg without the hardware decoders.
        skipped.Clear();
        Assert.Equal("software", H264DecoderProbe.Open(codec => codec == "h264", _ => true, c => c.Engine, skipped));
        Assert.Equal(["rkmpp: codec h264_rkmpp is not in this FFmpeg build", "v4l2m2m: codec h264_v4l2m2m is not in this FFmpeg build"], skipped);

        // Nothing opens: an error that carries every reason.
        var e = Assert.Throws<InvalidOperationException>(() => H264DecoderProbe.Open<string>(_ => true, _ => true, _ => throw new InvalidOperationException("nope"), []));
        Assert.Contains("software: open failed: nope", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hardware_output_formats_that_are_not_cpu_pictures_are_recognised()
    {
        Assert.True(H264Decoder.IsCpuFormat(FFmpegConstants.AV_PIX_FMT_YUV420P));
        Assert.True(H264Decoder.IsCpuFormat(FFmpegConstants.AV_PIX_FMT_NV12));
        Assert.False(H264Decoder.IsCpuFormat(FFmpegConstants.AV_PIX_FMT_VAAPI));
    }
}
