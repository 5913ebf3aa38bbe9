using CamStreamd.Capture;
using CamStreamd.Interop.V4l2;
using CamStreamd.Media;
using CamStreamd.Tests.Interop.V4l2;

namespace CamStreamd.Tests.Capture;

public class V4l2SourceTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    internal static FakeV4l2Device Camera(bool multiplanar = false) => new("/dev/video0")
    {
        Multiplanar = multiplanar,
        Formats =
        {
            (V4l2PixelFormats.Yuyv, [(640, 480), (1280, 720)], [30, 15]),
            (V4l2PixelFormats.Nv12, [(640, 480), (1280, 720)], [30, 15]),
        },
    };

    private static (V4l2Source Source, FakeV4l2Device Device) Open(V4l2SourceOptions options, FakeV4l2Device? device = null, StreamCounters? counters = null)
    {
        device ??= Camera();
        var provider = new FakeV4l2DeviceProvider();
        provider.Set(options.Device, () => device);
        return (V4l2Source.Open(options, provider, counters: counters), device);
    }

    [Fact]
    public async Task Negotiates_the_configured_format_nearest_size_and_rate()
    {
        var (source, device) = Open(new V4l2SourceOptions("/dev/video0", "yuyv", 1200, 700, 14));
        await using (source)
        {
            Assert.Equal(V4l2PixelFormats.Yuyv, device.CurrentFourCc);
            Assert.Equal((1280, 720), (source.Width, source.Height));
            Assert.Equal(15, source.Fps, 3);
            Assert.Equal(VideoPixelFormat.Yuyv, source.PixelFormat);
            Assert.True(device.Streaming);
            Assert.Equal(4, device.QueuedCount);
        }

        Assert.True(device.Disposed);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_frame_is_a_lease_its_buffer_goes_back_on_release(bool multiplanar)
    {
        var (source, device) = Open(new V4l2SourceOptions("/dev/video0", "auto", 640, 480, 30, "x264"), Camera(multiplanar));
        await using (source)
        {
            Assert.Equal(VideoPixelFormat.Nv12, source.PixelFormat);
            Assert.True(device.Deliver(0x42, 12_345_678));
            using var cts = new CancellationTokenSource(Wait);
            var frame = await source.ReadFrameAsync(cts.Token);
            Assert.Equal(VideoPixelFormat.Nv12, frame.Format);
            Assert.Equal(640 * 480, frame.GetPlane(0).Length);
            Assert.Equal(640, frame.GetStride(0));
            Assert.Equal(0x42, frame.GetPlane(1).Span[0]);
            Assert.Equal(V4l2Source.ToStopwatchTicks(new V4l2Timeval { Seconds = 12, Microseconds = 345_678 }), frame.CaptureTimestamp);
            Assert.Equal(3, device.QueuedCount);

            frame.Release();
            Assert.Equal(4, device.QueuedCount);
        }
    }

    [Fact]
    public async Task The_freshest_frame_wins_and_stale_ones_go_back_to_the_driver()
    {
        var counters = new StreamCounters();
        var (source, device) = Open(new V4l2SourceOptions("/dev/video0", "yuyv", 640, 480, 30), counters: counters);
        await using (source)
        {
            // The reader is late: three frames arrive before it reads.
            Assert.True(device.Deliver(1));
            Assert.True(device.Deliver(2));
            Assert.True(device.Deliver(3));
            await WaitUntil(() => source.LateDrops == 2);
            using var cts = new CancellationTokenSource(Wait);
            var frame = await source.ReadFrameAsync(cts.Token);
            Assert.Equal(3, frame.Payload.Span[0]);
            Assert.Equal(2, counters.Dropped(DropReason.CaptureLate));

            // A consumer holding every frame never stalls capture: buffers come back as released.
            Assert.Equal(3, device.QueuedCount);
            frame.Release();
            Assert.Equal(4, device.QueuedCount);
        }
    }

    [Fact]
    public async Task H264_frames_wait_in_order_up_to_a_limit_instead_of_the_freshest_winning()
    {
        var counters = new StreamCounters();
        var camera = new FakeV4l2Device("/dev/video0") { Formats = { (V4l2PixelFormats.H264, [(640, 480)], [30]) } };
        var (source, device) = Open(new V4l2SourceOptions("/dev/video0", "h264", 640, 480, 30, "passthrough"), camera, counters);
        await using (source)
        {
            Assert.Equal(VideoPixelFormat.H264, source.PixelFormat);

            // The reader is late by three frames: all three wait, in order (a lost P frame spoils its GOP).
            Assert.True(device.Deliver(1));
            Assert.True(device.Deliver(2));
            Assert.True(device.Deliver(3));
            await WaitUntil(() => device.QueuedCount == 1);
            using var cts = new CancellationTokenSource(Wait);
            var frames = new List<VideoFrame>();
            for (var i = 0; i < 3; i++)
            {
                frames.Add(await source.ReadFrameAsync(cts.Token));
            }

            Assert.Equal([1, 2, 3], frames.Select(f => (int)f.Payload.Span[0]));
            Assert.Equal(0, source.LateDrops);
            frames.ForEach(f => f.Release());

            // Further behind than MaxPendingH264: the oldest goes back and is counted.
            for (byte b = 10; b < 10 + V4l2Source.MaxPendingH264 + 1; b++)
            {
                Assert.True(device.Deliver(b));
                await WaitUntil(() => device.QueuedCount >= 1);
            }

            await WaitUntil(() => source.LateDrops == 1);
            Assert.Equal(1, counters.Dropped(DropReason.CaptureLate));
            var next = await source.ReadFrameAsync(cts.Token);
            Assert.Equal(11, next.Payload.Span[0]);
            next.Release();
        }
    }

    [Fact]
    public async Task Enodev_ends_the_capture_with_camera_lost()
    {
        var (source, device) = Open(new V4l2SourceOptions("/dev/video0", "yuyv", 640, 480, 30));
        await using (source)
        {
            Assert.True(device.Deliver(1));
            using var cts = new CancellationTokenSource(Wait);
            var frame = await source.ReadFrameAsync(cts.Token);
            device.Unplug();
            var e = await Assert.ThrowsAsync<CameraLostException>(async () => await source.ReadFrameAsync(cts.Token));
            Assert.Contains("ENODEV", e.Message, StringComparison.Ordinal);

            // A frame released after the loss is not queued to the dead device.
            frame.Release();
        }
    }

    [Fact]
    public async Task No_frame_within_the_timeout_is_camera_lost()
    {
        var (source, _) = Open(new V4l2SourceOptions("/dev/video0", "yuyv", 640, 480, 30) { FrameTimeout = TimeSpan.FromMilliseconds(300), PollInterval = TimeSpan.FromMilliseconds(20) });
        await using (source)
        {
            using var cts = new CancellationTokenSource(Wait);
            var e = await Assert.ThrowsAsync<CameraLostException>(async () => await source.ReadFrameAsync(cts.Token));
            Assert.Contains("no frame for", e.Message, StringComparison.Ordinal);
        }
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 5 s");
            await Task.Delay(5);
        }
    }
}
