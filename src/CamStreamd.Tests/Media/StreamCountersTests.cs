using CamStreamd.Media;

namespace CamStreamd.Tests.Media;

public sealed class StreamCountersTests
{
    [Fact]
    public void Viewer_leases_count_per_protocol_and_release_once()
    {
        var counters = new StreamCounters();
        var tcp = counters.AddViewer(ViewerProtocol.RtspTcp);
        using var udp = counters.AddViewer(ViewerProtocol.RtspUdp);
        using var second = counters.AddViewer(ViewerProtocol.RtspTcp);

        Assert.Equal(2, counters.Viewers(ViewerProtocol.RtspTcp));
        Assert.Equal(3, counters.TotalViewers);
        tcp.Dispose();
        tcp.Dispose();
        Assert.Equal(1, counters.Viewers(ViewerProtocol.RtspTcp));
        Assert.Equal(2, counters.TotalViewers);
    }

    [Fact]
    public void A_slow_subscriber_counts_its_skipped_frames_as_queue_full_drops()
    {
        using var hub = new StreamHub("cam0", 16, 16, 30, 1 << 20, 4, preparer: null);
        var pool = new AccessUnitPool();
        using var slow = hub.Subscribe(capacity: 1);
        using var fast = hub.Subscribe(capacity: 64);

        // A keyframe and then deltas; the slow viewer (capacity 1 + 4 of GOP room) never reads.
        for (var i = 0; i < 10; i++)
        {
            var unit = pool.Rent();
            unit.Set([0, 0, 0, 1, (byte)(i == 0 ? 0x65 : 0x41)], captureTimestamp: i * 1000, isKeyframe: i == 0, frameNumber: i);
            hub.Publish(unit);
        }

        Assert.True(slow.DroppedFrames > 0);
        Assert.Equal(slow.DroppedFrames, hub.Counters.Dropped(DropReason.ViewerQueueFull));
        Assert.Equal(10, hub.Counters.FramesEncoded);
        Assert.Equal(0, fast.DroppedFrames);
    }
}
