using CamStreamd.Capture;
using CamStreamd.Encoding;
using CamStreamd.Media;
using CamStreamd.Streams;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Tests.Streams;

public class StreamPipelineTests
{
    private sealed class CountingSource(VideoFramePool pool) : IVideoSource
    {
        private long _next;

        public int Width => pool.Width;

        public int Height => pool.Height;

        public double Fps => 1000;

        public int Disposed { get; private set; }

        public async ValueTask<VideoFrame> ReadFrameAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(1, cancellationToken);
            var frame = pool.Rent();
            frame.FrameNumber = _next++;
            return frame;
        }

        public ValueTask DisposeAsync()
        {
            Disposed++;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>Publishes one unit per frame (keyframe when asked or first); throws on chosen frames.</summary>
    private sealed class ScriptedEncoder(AccessUnitPool pool, Func<long, bool> failOn) : IVideoEncoder
    {
        private bool _keyframeNext = true;

        public string Engine => "scripted";

        public int KeyframeRequests { get; private set; }

        public bool IsDisposed { get; private set; }

        public void RequestKeyframe()
        {
            KeyframeRequests++;
            _keyframeNext = true;
        }

        public void Encode(VideoFrame frame, IAccessUnitSink sink)
        {
            if (failOn(frame.FrameNumber))
            {
                throw new InvalidOperationException("scripted failure");
            }

            var unit = pool.Rent();
            unit.Set(_keyframeNext ? [0, 0, 1, 0x65, 1] : [0, 0, 1, 0x41, 1], frame.CaptureTimestamp, _keyframeNext, frame.FrameNumber);
            _keyframeNext = false;
            sink.Publish(unit);
        }

        public void Dispose() => IsDisposed = true;
    }

    [Fact]
    public async Task A_failing_encoder_is_reopened_and_the_stream_resumes_on_a_keyframe()
    {
        var framePool = new VideoFramePool(16, 16);
        var unitPool = new AccessUnitPool(64);
        using var hub = new StreamHub("cam0", 16, 16, 30, 1000, 64, preparer: null);
        var encoders = new List<ScriptedEncoder>();
        var pipeline = new StreamPipeline(
            hub,
            () => new CountingSource(framePool),
            () =>
            {
                var encoder = new ScriptedEncoder(unitPool, n => n == 5);
                encoders.Add(encoder);
                return encoder;
            },
            NullLogger.Instance);

        using var subscription = hub.Subscribe(256);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = pipeline.RunAsync(cts.Token);
        while (hub.FramesPublished < 20 && !cts.IsCancellationRequested)
        {
            await Task.Delay(5);
        }

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(hub.FramesPublished >= 20);
        Assert.Equal(1, pipeline.EncoderFailures);
        Assert.True(encoders.Count >= 2);
        Assert.True(encoders[0].IsDisposed);

        var keyframes = new List<long>();
        while (subscription.TryRead(out var unit))
        {
            if (unit.IsKeyframe)
            {
                keyframes.Add(unit.FrameNumber);
            }

            unit.Release();
        }

        // The first encoder's IDR at frame 0, the reopened encoder's IDR at frame 6.
        Assert.Equal(new long[] { 0, 6 }, keyframes);
    }

    [Fact]
    public async Task Hub_keyframe_requests_reach_the_encoder()
    {
        var framePool = new VideoFramePool(16, 16);
        var unitPool = new AccessUnitPool(64);
        using var hub = new StreamHub("cam0", 16, 16, 30, 1000, 64, preparer: null);
        ScriptedEncoder? encoder = null;
        var pipeline = new StreamPipeline(hub, () => new CountingSource(framePool), () => encoder = new ScriptedEncoder(unitPool, _ => false), NullLogger.Instance);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = pipeline.RunAsync(cts.Token);
        while (hub.FramesPublished < 3 && !cts.IsCancellationRequested)
        {
            await Task.Delay(5);
        }

        hub.RequestKeyframe();
        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(encoder);
        Assert.Equal(1, encoder.KeyframeRequests);
    }
}
