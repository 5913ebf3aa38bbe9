using CamStreamd.Configuration;
using CamStreamd.Encoding;
using CamStreamd.Media;
using CamStreamd.Media.H264;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Tests.Encoding;

/// <summary>
/// <c>auto</c> and <c>passthrough</c> follow the frames: H.264 passes through untouched, other
/// pictures (the NO SIGNAL placeholder of an H.264 camera) are encoded, and after a switch back
/// the camera's units wait for its next IDR.
/// </summary>
public class FormatFollowingEncoderTests
{
    private const int Width = 160;
    private const int Height = 120;

    [Fact]
    public void Passthrough_skips_to_the_first_idr_then_publishes_units_untouched()
    {
        var camera = FFmpegVideoEncoderTests.Encode(new EncoderSettings(Width, Height, 30, 300_000, 10), 25);
        using var encoder = Create(EncoderEngines.Passthrough, VideoPixelFormat.I420);
        var sink = new CollectingSink();

        // Joined mid-GOP: frames 5..24; the camera's next IDR is frame 10.
        foreach (var unit in camera.Skip(5))
        {
            encoder.Encode(H264Frame(unit), sink);
        }

        Assert.Equal("passthrough", encoder.Engine);
        Assert.Equal(5, encoder.UnitsSkipped);
        Assert.Equal(camera.Skip(10).Select(u => u.AnnexB), sink.Units.Select(u => u.AnnexB));
        Assert.True(sink.Units[0].IsKeyframe);
    }

    [Fact]
    public void Raw_pictures_are_encoded_and_the_camera_resumes_at_its_next_idr()
    {
        var camera = FFmpegVideoEncoderTests.Encode(new EncoderSettings(Width, Height, 30, 300_000, 10), 30);
        using var encoder = Create(EncoderEngines.Auto, VideoPixelFormat.H264);
        var sink = new CollectingSink();
        foreach (var unit in camera.Take(5))
        {
            encoder.Encode(H264Frame(unit), sink);
        }

        Assert.Equal(5, sink.Units.Count);

        // The camera is gone: placeholder pictures (I420) are encoded by x264, starting with an IDR.
        var placeholder = new SyntheticFrames(Width, Height, 30);
        for (var i = 0; i < 4; i++)
        {
            encoder.Encode(placeholder.Make(i), sink);
            Assert.Equal("x264", encoder.Engine);
        }

        Assert.True(sink.Units.Count >= 6, $"{sink.Units.Count} units");
        var firstEncoded = sink.Units[5];
        Assert.True(firstEncoded.IsKeyframe);
        Assert.Contains(NalUnitType.Sps, FFmpegVideoEncoderTests.NalTypes(firstEncoded.AnnexB));
        var beforeCamera = sink.Units.Count;

        // The camera is back mid-GOP (frame 15): units wait for its IDR at frame 20.
        foreach (var unit in camera.Skip(15))
        {
            encoder.Encode(H264Frame(unit), sink);
        }

        Assert.Equal("passthrough", encoder.Engine);
        Assert.Equal(5, encoder.UnitsSkipped);
        Assert.Equal(camera.Skip(20).Select(u => u.AnnexB), sink.Units.Skip(beforeCamera).Select(u => u.AnnexB));
    }

    [Fact]
    public void A_gap_in_the_cameras_sequence_waits_for_the_next_idr()
    {
        var camera = FFmpegVideoEncoderTests.Encode(new EncoderSettings(Width, Height, 30, 300_000, 10), 30);
        using var encoder = Create(EncoderEngines.Passthrough, VideoPixelFormat.H264);
        var sink = new CollectingSink();

        // Frames 10 and 11 were lost (sequence 9 -> 12): 12..19 reference them, 20 is the next IDR.
        foreach (var unit in camera.Take(10).Concat(camera.Skip(12)))
        {
            encoder.Encode(H264Frame(unit), sink);
        }

        Assert.Equal(8, encoder.UnitsSkipped);
        Assert.Equal(camera.Take(10).Concat(camera.Skip(20)).Select(u => u.FrameNumber), sink.Units.Select(u => u.FrameNumber));

        // A driver that leaves the sequence at 0 is not a gap.
        using var constant = Create(EncoderEngines.Passthrough, VideoPixelFormat.H264);
        var constantSink = new CollectingSink();
        foreach (var unit in camera)
        {
            var frame = H264Frame(unit);
            frame.FrameNumber = 0;
            constant.Encode(frame, constantSink);
        }

        Assert.Equal(0, constant.UnitsSkipped);
        Assert.Equal(30, constantSink.Units.Count);
    }

    [Fact]
    public void H264_of_another_size_than_configured_is_logged_once()
    {
        var camera = FFmpegVideoEncoderTests.Encode(new EncoderSettings(Width, Height, 30, 300_000, 10), 3);
        var logger = new CamStreamd.Tests.Rtsp.TestSupport.CapturingLogger();
        using var encoder = new FormatFollowingEncoder(
            EncoderEngines.Passthrough, () => new PassthroughEncoder(new AccessUnitPool()), () => throw new InvalidOperationException("not expected"),
            startWithPassthrough: true, logger, (640, 480));
        var sink = new CollectingSink();
        foreach (var unit in camera)
        {
            encoder.Encode(H264Frame(unit), sink);
        }

        Assert.Equal(3, sink.Units.Count);
        var line = Assert.Single(logger.Lines, l => l.EventId == 4013);
        Assert.Contains("160x120", line.Text, StringComparison.Ordinal);
        Assert.Contains("640x480", line.Text, StringComparison.Ordinal);
    }

    private static FormatFollowingEncoder Create(string engine, VideoPixelFormat input)
    {
        var factory = new EncoderFactory(new AccessUnitPool(), NullLoggerFactory.Instance);
        var encoder = factory.Create(engine, new EncoderSettings(Width, Height, 30, 300_000, 30) { InputFormat = input });
        return Assert.IsType<FormatFollowingEncoder>(encoder);
    }

    private static VideoFrame H264Frame(CollectingSink.Unit unit)
    {
        var frame = new VideoFrame(new NullOwner());
        frame.SetPayload(VideoPixelFormat.H264, Width, Height, unit.AnnexB);
        frame.FrameNumber = unit.FrameNumber;
        frame.CaptureTimestamp = unit.CaptureTimestamp;
        return frame;
    }

    private sealed class NullOwner : IVideoFrameOwner
    {
        public void ReturnFrame(VideoFrame frame)
        {
        }
    }
}
