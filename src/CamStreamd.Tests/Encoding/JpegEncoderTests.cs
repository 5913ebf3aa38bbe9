using CamStreamd.Encoding;
using CamStreamd.Media;
using CamStreamd.Tests.Http;

namespace CamStreamd.Tests.Encoding;

/// <summary>The JPEG encoder on FFmpeg's mjpeg: real pictures, checked by header and by ffprobe.</summary>
public sealed class JpegEncoderTests
{
    [Theory]
    [InlineData(100, 2)]
    [InlineData(1, 31)]
    [InlineData(80, 8)]
    [InlineData(50, 17)]
    public void Quality_maps_linearly_onto_the_quantizer(int quality, int quantizer) =>
        Assert.Equal(quantizer, JpegEncoder.QuantizerFor(quality));

    [Fact]
    public void Pictures_are_jpegs_of_the_frame_size_and_higher_quality_is_larger()
    {
        var frames = new SyntheticFrames(320, 240, 10);
        using var good = new JpegEncoder(320, 240, quality: 95);
        using var poor = new JpegEncoder(320, 240, quality: 10);
        var buffer = new byte[16];
        var sizes = new List<(int Good, int Poor)>();
        for (var i = 0; i < 3; i++)
        {
            var frame = frames.Make(i);
            var goodLength = good.Encode(frame, ref buffer);
            Assert.Equal((320, 240), JpegHeader.ReadSize(buffer.AsSpan(0, goodLength)));
            var poorLength = poor.Encode(frame, ref buffer);
            Assert.Equal((320, 240), JpegHeader.ReadSize(buffer.AsSpan(0, poorLength)));
            sizes.Add((goodLength, poorLength));
            frame.Release();
        }

        Assert.All(sizes, s => Assert.True(s.Good > 2 * s.Poor, $"quality 95 gave {s.Good} bytes, quality 10 gave {s.Poor}"));
    }

    [Fact]
    public async Task Ffprobe_decodes_a_picture_at_its_size()
    {
        var frames = new SyntheticFrames(176, 144, 10);
        using var encoder = new JpegEncoder(176, 144, quality: 80);
        var buffer = Array.Empty<byte>();
        var frame = frames.Make(0);
        var length = encoder.Encode(frame, ref buffer);
        frame.Release();
        var path = Path.Combine(Path.GetTempPath(), $"camstreamd-jpeg-{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(path, buffer.AsMemory(0, length));
        try
        {
            var probe = await PeerProcess.RunAsync(
                "ffmpeg",
                ["-v", "error", "-i", path, "-f", "rawvideo", "-pix_fmt", "gray", "-"],
                TimeSpan.FromSeconds(20),
                "ffmpeg");
            Assert.True(probe.ExitCode == 0, probe.StandardError);
            Assert.Equal("", probe.StandardError);
            Assert.Equal(176 * 144, probe.StandardOutput.Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_frame_of_another_size_or_format_is_refused()
    {
        using var encoder = new JpegEncoder(320, 240, quality: 80);
        var other = new VideoFramePool(160, 120).Rent();
        var buffer = Array.Empty<byte>();

        var error = Assert.Throws<ArgumentException>(() => encoder.Encode(other, ref buffer));
        Assert.Contains("320x240", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new JpegEncoder(320, 240, quality: 0));
    }
}
