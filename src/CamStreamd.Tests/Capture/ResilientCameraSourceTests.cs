using CamStreamd.Capture;
using CamStreamd.Media;
using CamStreamd.Tests.Interop.V4l2;

namespace CamStreamd.Tests.Capture;

/// <summary>Camera loss and return with a fake device and the real clock (backoff starts at 1 s).</summary>
public sealed class ResilientCameraSourceTests : IAsyncDisposable
{
    private readonly FakeV4l2DeviceProvider _provider = new();
    private readonly List<StreamState> _states = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly V4l2SourceOptions _options = new("/dev/video0", "yuyv", 640, 480, 30) { FrameTimeout = TimeSpan.FromMilliseconds(500), PollInterval = TimeSpan.FromMilliseconds(20) };
    private readonly ResilientCameraSource _source;
    private readonly Task _feeder;

    public ResilientCameraSourceTests()
    {
        _source = new ResilientCameraSource(() => V4l2Source.Open(_options, _provider), "/dev/video0", 640, 480, 30, s => _states.Add(s));

        // A camera delivers a frame every 10 ms into whatever buffer is queued.
        _feeder = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                lock (_provider.Opened)
                {
                    foreach (var device in _provider.Opened.Where(d => !d.Gone && !d.Disposed && d.Streaming))
                    {
                        device.Deliver(0x55);
                    }
                }

                await Task.Delay(10);
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _feeder;
        await _source.DisposeAsync();
        _stop.Dispose();
    }

    [Fact]
    public async Task Camera_loss_shows_no_signal_then_real_frames_resume_by_themselves()
    {
        _provider.Set("/dev/video0", () => V4l2SourceTests.Camera());
        Assert.Equal(VideoPixelFormat.Yuyv, await ReadFormat());
        Assert.Equal([StreamState.Running], _states);

        _provider.Opened[0].Unplug();
        _provider.Set("/dev/video0", null);
        var placeholder = await ReadUntil(VideoPixelFormat.I420, TimeSpan.FromSeconds(3));
        Assert.Equal((640, 480), placeholder);
        Assert.Equal(StreamState.NoSignal, _states[^1]);

        // The camera comes back: the next attempt (1 s after the loss) finds it.
        _provider.Set("/dev/video0", () => V4l2SourceTests.Camera());
        var started = DateTime.UtcNow;
        await ReadUntil(VideoPixelFormat.Yuyv, TimeSpan.FromSeconds(3));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(2.5));
        Assert.Equal(StreamState.Running, _states[^1]);
        Assert.Equal(2, _source.CameraOpens);
    }

    [Fact]
    public async Task A_camera_missing_at_start_is_not_fatal()
    {
        Assert.Equal(VideoPixelFormat.I420, await ReadFormat());
        Assert.Equal([StreamState.NoSignal], _states);
        Assert.True(_source.NoSignal);

        _provider.Set("/dev/video0", () => V4l2SourceTests.Camera());
        await ReadUntil(VideoPixelFormat.Yuyv, TimeSpan.FromSeconds(3));
        Assert.Equal(StreamState.Running, _states[^1]);
        Assert.False(_source.NoSignal);
    }

    [Fact]
    public void The_placeholder_says_no_signal_in_block_letters()
    {
        var pool = new VideoFramePool(320, 180);
        var frame = pool.Rent();
        NoSignalRenderer.Render(frame, 0, 0);

        // Background grey, and white strokes of the letters in the middle band.
        Assert.Equal(NoSignalRenderer.BackgroundLuma, frame.Y[0]);
        var whiteRows = Enumerable.Range(0, 180).Count(r => frame.Y.Slice(r * 320, 320).Contains((byte)235));
        Assert.InRange(whiteRows, 10, 90);
    }

    private async Task<VideoPixelFormat> ReadFormat()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var frame = await _source.ReadFrameAsync(cts.Token);
        var format = frame.Format;
        frame.Release();
        return format;
    }

    private async Task<(int Width, int Height)> ReadUntil(VideoPixelFormat format, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var frame = await _source.ReadFrameAsync(cts.Token);
            var (f, w, h) = (frame.Format, frame.Width, frame.Height);
            frame.Release();
            if (f == format)
            {
                return (w, h);
            }
        }

        Assert.Fail($"no {format} frame within {timeout.TotalSeconds} s");
        return default;
    }
}
