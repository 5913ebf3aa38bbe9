using System.Globalization;
using CamStreamd.Capture;
using CamStreamd.Configuration;
using CamStreamd.Encoding;
using CamStreamd.Interop.V4l2;
using CamStreamd.Media;
using CamStreamd.Tests.Encoding;
using CamStreamd.Tests.Interop.V4l2;
using CamStreamd.Tests.Rtsp.TestSupport;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Tests.Capture;

/// <summary>
/// A camera that cannot do the configured size: the source takes the nearest size the camera
/// offers, and the encoder scales every picture to the configured size (which the hub and the
/// SDP advertise), saying so once in the log.
/// </summary>
public sealed class CameraSizeMismatchTests : IDisposable
{
    private const int Width = 320;
    private const int Height = 240;

    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-size-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("yuyv")]
    [InlineData("nv12")]
    public async Task Frames_of_the_cameras_size_are_scaled_to_the_configured_size(string format)
    {
        // The fake camera offers only 640x480; every buffer byte is 0x80 (mid grey in YUYV and NV12).
        var device = new FakeV4l2Device("/dev/video0")
        {
            Formats =
            {
                (V4l2PixelFormats.Yuyv, [(640, 480)], [30]),
                (V4l2PixelFormats.Nv12, [(640, 480)], [30]),
            },
        };
        var provider = new FakeV4l2DeviceProvider();
        provider.Set(device.Path, () => device);
        var logger = new CapturingLogger();
        var sink = new CollectingSink();
        var settings = new EncoderSettings(Width, Height, 30, 500_000, 30) { InputFormat = EncoderFactory.InputFormatOf(format) };

        await using (var source = V4l2Source.Open(new V4l2SourceOptions(device.Path, format, Width, Height, 30), provider))
        using (var encoder = new FFmpegVideoEncoder(EncoderEngines.X264, settings, new AccessUnitPool(), logger))
        {
            Assert.Equal((640, 480), (source.Width, source.Height));
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            for (var i = 0; i < 5; i++)
            {
                Assert.True(device.Deliver(0x80, (i + 1) * 33_333L));
                var frame = await source.ReadFrameAsync(cts.Token);
                try
                {
                    Assert.Equal((640, 480), (frame.Width, frame.Height));
                    encoder.Encode(frame, sink);
                }
                finally
                {
                    frame.Release();
                }
            }

            Assert.Equal(5, encoder.Conversions);
        }

        // Said once, as a warning naming both sizes.
        var scaling = logger.Lines.Where(l => l.EventId == 4002).ToList();
        Assert.Single(scaling);
        Assert.Equal(LogLevel.Warning, scaling[0].Level);
        Assert.Contains("640x480", scaling[0].Text, StringComparison.Ordinal);
        Assert.Contains("320x240", scaling[0].Text, StringComparison.Ordinal);

        // ffprobe sees the configured size; the picture is the camera's grey.
        Assert.Equal(5, sink.Units.Count);
        var h264 = Path.Combine(_directory, format + ".h264");
        File.WriteAllBytes(h264, sink.Units.SelectMany(u => u.AnnexB).ToArray());
        var yuv = Path.Combine(_directory, format + ".yuv");
        var decode = PeerProcess.Run("ffmpeg", ["-nostdin", "-v", "error", "-i", h264, "-f", "rawvideo", "-pix_fmt", "yuv420p", "-y", yuv], "ffmpeg");
        Assert.True(decode.ExitCode == 0, decode.StandardError);
        var pictures = File.ReadAllBytes(yuv);
        Assert.Equal(5 * Width * Height * 3 / 2, pictures.Length);
        var meanLuma = pictures.AsSpan(0, Width * Height).ToArray().Average(b => b);
        Assert.True(Math.Abs(meanLuma - 0x80) <= 3, $"mean luma {meanLuma:F1}, expected 128");
        var probe = PeerProcess.Run("ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "csv=p=0", h264], "ffmpeg");
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{Width},{Height}"), probe.StandardOutput.Trim());
    }
}
