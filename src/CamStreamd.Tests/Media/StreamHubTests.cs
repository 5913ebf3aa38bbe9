using CamStreamd.Media;

namespace CamStreamd.Tests.Media;

public class StreamHubTests
{
    private static readonly byte[] KeyframeBytes = [0, 0, 0, 1, 0x67, 0x4D, 0x40, 0x1F, 0, 0, 0, 1, 0x68, 0xEE, 0, 0, 0, 1, 0x65, 0x88];
    private static readonly byte[] DeltaBytes = [0, 0, 0, 1, 0x41, 0x9A];

    private readonly AccessUnitPool _pool = new(256, 64);

    private AccessUnit Unit(bool keyframe, long frameNumber)
    {
        var unit = _pool.Rent();
        unit.Set(keyframe ? KeyframeBytes : DeltaBytes, frameNumber * 1000, keyframe, frameNumber);
        return unit;
    }

    private static StreamHub NewHub(int maxGopFrames = 16, int maxFrameLength = 1000) =>
        new("cam0", 320, 240, 30, maxFrameLength, maxGopFrames, preparer: null);

    private static List<long> Drain(HubSubscription subscription)
    {
        var frames = new List<long>();
        while (subscription.TryRead(out var unit))
        {
            frames.Add(unit.FrameNumber);
            unit.Release();
        }

        return frames;
    }

    [Fact]
    public void New_subscriber_starts_with_the_cached_gop_from_its_keyframe()
    {
        using var hub = NewHub();
        hub.Publish(Unit(false, 0));
        hub.Publish(Unit(true, 1));
        hub.Publish(Unit(false, 2));
        hub.Publish(Unit(false, 3));

        using var subscription = hub.Subscribe(4);
        Assert.Equal(new long[] { 1, 2, 3 }, Drain(subscription));

        hub.Publish(Unit(false, 4));
        Assert.Equal(new long[] { 4 }, Drain(subscription));
    }

    [Fact]
    public void Subscriber_without_cache_waits_for_keyframe_and_requests_one()
    {
        using var hub = NewHub();
        var requests = 0;
        hub.KeyframeRequested += () => requests++;
        using var subscription = hub.Subscribe(4);
        Assert.Equal(1, requests);

        hub.Publish(Unit(false, 0));
        hub.Publish(Unit(true, 1));
        hub.Publish(Unit(false, 2));
        Assert.Equal(new long[] { 1, 2 }, Drain(subscription));
        Assert.Equal(1, subscription.DroppedFrames);
    }

    [Fact]
    public void Full_queue_drops_to_the_next_keyframe_and_counts_without_touching_others()
    {
        using var hub = NewHub(maxGopFrames: 2);
        using var slow = hub.Subscribe(2);
        using var fast = hub.Subscribe(2);
        var fastFrames = new List<long>();

        hub.Publish(Unit(true, 0));
        for (var i = 1; i < 10; i++)
        {
            hub.Publish(Unit(i == 8, i));
            fastFrames.AddRange(Drain(fast));
        }

        fastFrames.AddRange(Drain(fast));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), fastFrames);
        Assert.Equal(0, fast.DroppedFrames);

        // slow holds capacity 2 + gop 2 = 4 units, so it overflowed and skipped to keyframe 8.
        var slowFrames = Drain(slow);
        Assert.Equal(new long[] { 8, 9 }, slowFrames);
        Assert.Equal(8, slow.DroppedFrames);
    }

    [Fact]
    public void Oversize_units_are_dropped_and_counted()
    {
        using var hub = NewHub(maxFrameLength: 10);
        using var subscription = hub.Subscribe(4);
        hub.Publish(Unit(true, 0));
        Assert.Equal(1, hub.FramesOversize);
        Assert.Empty(Drain(subscription));
    }

    [Fact]
    public void Learns_sps_and_pps_from_keyframes()
    {
        using var hub = NewHub();
        Assert.Null(hub.Description);
        hub.Publish(Unit(true, 0));
        var description = Assert.IsType<StreamDescription>(hub.Description);
        Assert.Equal(new byte[] { 0x67, 0x4D, 0x40, 0x1F }, description.Sps);
        Assert.Equal(new byte[] { 0x68, 0xEE }, description.Pps);
        Assert.Equal(320, description.Width);
    }

    [Fact]
    public void Every_reference_returns_to_the_pool()
    {
        var hub = NewHub();
        var subscription = hub.Subscribe(8);
        for (var i = 0; i < 20; i++)
        {
            hub.Publish(Unit(i % 5 == 0, i));
            if (i % 3 == 0)
            {
                Drain(subscription);
            }
        }

        var created = _pool.Created;
        subscription.Dispose();
        hub.Dispose();

        // After everything is released, renting again reuses pooled units rather than creating more.
        var again = Enumerable.Range(0, (int)created).Select(_ => _pool.Rent()).ToList();
        Assert.Equal(created, _pool.Created);
        again.ForEach(u => u.Release());
    }

    [Fact]
    public async Task Reader_wakes_on_publish_and_completes_on_dispose()
    {
        var hub = NewHub();
        var subscription = hub.Subscribe(4);
        var waiting = subscription.WaitToReadAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        hub.Publish(Unit(true, 0));
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Drain(subscription);

        var ending = subscription.WaitToReadAsync(CancellationToken.None).AsTask();
        hub.Dispose();
        Assert.False(await ending.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.True(subscription.IsCompleted);
    }

    [Fact]
    public async Task A_polling_reader_gets_every_unit_without_wake_ups_and_a_later_wait_still_wakes()
    {
        using var hub = NewHub();
        using var subscription = hub.Subscribe(4);
        subscription.ReaderPolls();

        // No wake-up is set: a wait that starts after these publishes finds them by looking, not by a signal.
        hub.Publish(Unit(true, 0));
        hub.Publish(Unit(false, 1));
        Assert.Equal(new long[] { 0, 1 }, Drain(subscription));

        var waiting = subscription.WaitToReadAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        hub.Publish(Unit(false, 2));
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(new long[] { 2 }, Drain(subscription));
    }
}
