using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.Publish;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Tests.Publish;

/// <summary>
/// The output contract for a publish target, in process: an upstream that takes nothing fills only
/// the target's own queue, which drops to the next IDR (counted); the hub never waits, and a
/// viewer of the same stream receives every frame. Then the target stops at once.
/// </summary>
public sealed class PublishTargetQueueTests
{
    private static readonly byte[] Keyframe = [0, 0, 0, 1, 0x67, 0x4d, 0x00, 0x1f, 0xab, 0, 0, 0, 1, 0x68, 0xee, 0x3c, 0x80, 0, 0, 0, 1, 0x65, 0x88, 0x84, 0x00];
    private static readonly byte[] Delta = [0, 0, 0, 1, 0x41, 0x9a, 0x02, 0x03];

    [Fact]
    public async Task A_stalled_upstream_drops_to_the_next_IDR_without_slowing_the_hub_or_a_viewer()
    {
        using var hub = new StreamHub("q", 320, 240, 30, 1 << 20, 60, preparer: null);
        var pool = new AccessUnitPool(1024, 64);
        var connection = new StalledConnection();
        var counters = new PublishCounters("rtsp://stalled/x", "rtsp", "tcp");
        var target = new PublishTarget(hub, counters, (_, _) => Task.FromResult<IPublishConnection>(connection), NullLogger.Instance);
        using var viewer = hub.Subscribe();
        long frame = 0;
        long viewed = 0;
        void Publish()
        {
            var unit = pool.Rent();
            var key = frame % 30 == 0;
            unit.Set(key ? Keyframe : Delta, Stopwatch.GetTimestamp(), key, frame++);
            hub.Publish(unit);
            while (viewer.TryRead(out var seen))
            {
                viewed++;
                seen.Release();
            }
        }

        Publish(); // the first keyframe: the stream has its SPS and PPS, the target can announce
        target.Start();
        var clock = Stopwatch.StartNew();
        while (counters.State != PublishState.Publishing || !connection.Sending)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"the target did not start publishing (state {counters.State})");
            await Task.Delay(20);
        }

        // 600 frames with the target's upstream taking none: the loop must finish (the hub never waits).
        await Task.Run(() =>
        {
            for (var i = 0; i < 600; i++)
            {
                Publish();
            }
        }).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(frame, viewed);
        Assert.Equal(0, viewer.DroppedFrames);
        Assert.True(counters.FramesDropped >= 600 - PublishTarget.QueueCapacity - 90, $"the target dropped {counters.FramesDropped} of 600 frames");
        Assert.Equal(counters.FramesDropped, hub.Counters.Dropped(DropReason.ViewerQueueFull));
        Assert.Equal(1, hub.Counters.Viewers(ViewerProtocol.Publish));

        // Stopping ends the stalled send at once (it waits on the target's token).
        await target.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(PublishState.Stopped, counters.State);
        Assert.Equal(0, hub.Counters.Viewers(ViewerProtocol.Publish));
        Assert.True(connection.Disposed);
    }

    [Fact]
    public void Retry_delay_doubles_to_30_s()
    {
        var delays = new List<double>();
        for (var delay = PublishTarget.InitialRetryDelay; delays.Count < 7; delay = PublishTarget.NextRetryDelay(delay))
        {
            delays.Add(delay.TotalSeconds);
        }

        Assert.Equal([1, 2, 4, 8, 16, 30, 30], delays);
    }

    private sealed class StalledConnection : IPublishConnection
    {
        private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile bool _sending;

        public bool Sending => _sending;

        public bool Disposed { get; private set; }

        public Task Closed => _closed.Task;

        public Exception? Failure => null;

        public async ValueTask<int> SendAsync(AccessUnit unit, CancellationToken cancellationToken)
        {
            _sending = true;
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            _closed.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }
}
