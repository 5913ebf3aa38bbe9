using System.Diagnostics;
using CamStreamd.Capture;
using CamStreamd.Media;
using CamStreamd.Tests.TestSupport;

namespace CamStreamd.Tests.Capture;

public class TestPatternTimeStripeTests
{
    private static long TicksFor(uint milliseconds) => (long)milliseconds * Stopwatch.Frequency / 1000;

    [Theory]
    [InlineData(1280, 720, 0x00000000u)]
    [InlineData(1280, 720, 0xFFFFFFFFu)]
    [InlineData(1280, 720, 0x8001_5A3Cu)]
    [InlineData(640, 360, 123_456_789u)]
    [InlineData(320, 240, 0x5555_AAAAu)]
    public void The_stripe_reads_back_the_capture_milliseconds(int width, int height, uint milliseconds)
    {
        var frame = new VideoFramePool(width, height).Rent();
        frame.CaptureTimestamp = TicksFor(milliseconds) + 1;

        TestPatternRenderer.Render(frame, 7, 233);

        Assert.Equal(milliseconds, TestPatternRenderer.StripeMilliseconds(frame.CaptureTimestamp));
        Assert.Equal(milliseconds, TestPatternRenderer.ReadTimeStripe(frame.Y, width, height));
    }

    [Fact]
    public void The_stripe_stays_out_of_the_digit_panel()
    {
        var panel = TestPatternRenderer.DigitPanel(1280, 720);
        var stripe = TestPatternRenderer.TimeStripe(1280, 720);

        Assert.True(stripe.Y >= panel.Y + panel.Height);
        Assert.Equal(720, stripe.Y + stripe.Height);
        Assert.True(TestPatternRenderer.TimeStripeBits * stripe.CellWidth <= 1280);
    }

    [Fact]
    public async Task The_stripe_survives_x264_at_4_mbit_s_and_a_real_decoder()
    {
        const int Width = 1280;
        const int Height = 720;
        const int Frames = 30;
        var directory = Directory.CreateTempSubdirectory("camstreamd-stripe-");
        try
        {
            var pool = new VideoFramePool(Width, Height);
            var raw = Path.Combine(directory.FullName, "in.yuv");
            var expected = new uint[Frames];
            await using (var file = File.Create(raw))
            {
                for (var i = 0; i < Frames; i++)
                {
                    var frame = pool.Rent();
                    expected[i] = 1_000_000u + (uint)(i * 33);
                    frame.CaptureTimestamp = TicksFor(expected[i]);
                    TestPatternRenderer.Render(frame, i, i * 33);
                    file.Write(frame.Y);
                    file.Write(frame.U);
                    file.Write(frame.V);
                    frame.Release();
                }
            }

            var h264 = Path.Combine(directory.FullName, "out.h264");
            var encode = await PeerProcess.RunAsync("ffmpeg",
            [
                "-hide_banner", "-v", "error", "-y", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", $"{Width}x{Height}", "-r", "30", "-i", raw,
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-b:v", "4M", "-maxrate", "4M", "-bufsize", "4M", "-f", "h264", h264,
            ], TimeSpan.FromSeconds(60), debianPackage: "ffmpeg");
            Assert.True(encode.ExitCode == 0, encode.StandardError);
            var gray = Path.Combine(directory.FullName, "out.gray");
            var decode = await PeerProcess.RunAsync("ffmpeg",
                ["-hide_banner", "-v", "error", "-y", "-i", h264, "-f", "rawvideo", "-pix_fmt", "gray", gray],
                TimeSpan.FromSeconds(60), debianPackage: "ffmpeg");
            Assert.True(decode.ExitCode == 0, decode.StandardError);

            var pictures = await File.ReadAllBytesAsync(gray);
            Assert.Equal(Frames * Width * Height, pictures.Length);
            for (var i = 0; i < Frames; i++)
            {
                Assert.Equal(expected[i], TestPatternRenderer.ReadTimeStripe(pictures.AsSpan(i * Width * Height, Width * Height), Width, Height));
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
