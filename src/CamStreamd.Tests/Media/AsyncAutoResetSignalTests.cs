using CamStreamd.Media;

namespace CamStreamd.Tests.Media;

public class AsyncAutoResetSignalTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_set_before_the_wait_lets_exactly_one_wait_through_at_once()
    {
        var signal = new AsyncAutoResetSignal();
        signal.Set();
        signal.Set();

        Assert.True(signal.WaitAsync(CancellationToken.None).AsTask().IsCompletedSuccessfully);
        var second = signal.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(second.IsCompleted);

        signal.Set();
        await second.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_pending_wait_completes_on_set_and_the_signal_is_reused_many_times()
    {
        var signal = new AsyncAutoResetSignal();
        for (var i = 0; i < 100; i++)
        {
            var wait = signal.WaitAsync(CancellationToken.None).AsTask();
            Assert.False(wait.IsCompleted);
            _ = Task.Run(signal.Set);
            await wait.WaitAsync(Bound);
        }
    }

    [Fact]
    public async Task The_waiter_continues_off_the_thread_that_sets()
    {
        var signal = new AsyncAutoResetSignal();
        var continued = new TaskCompletionSource<int>();
        var gate = new ManualResetEventSlim();
        var waiter = Task.Run(async () =>
        {
            var wait = signal.WaitAsync(CancellationToken.None);
            gate.Set();
            await wait;
            continued.SetResult(Environment.CurrentManagedThreadId);
        });
        Assert.True(gate.Wait(Bound));

        // An inline continuation would run on this (the setting) thread inside Set.
        signal.Set();
        var setter = Environment.CurrentManagedThreadId;
        var thread = await continued.Task.WaitAsync(Bound);
        await waiter.WaitAsync(Bound);
        Assert.NotEqual(setter, thread);
    }

    [Fact]
    public async Task Cancelling_a_wait_throws_and_the_next_wait_still_works()
    {
        var signal = new AsyncAutoResetSignal();
        using var cancel = new CancellationTokenSource();
        var wait = signal.WaitAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Bound));
        Assert.Equal(cancel.Token, error.CancellationToken);
        var next = signal.WaitAsync(CancellationToken.None).AsTask();
        signal.Set();
        await next.WaitAsync(Bound);
    }

    [Fact]
    public void A_cancelled_token_fails_the_wait_at_once()
    {
        var signal = new AsyncAutoResetSignal();

        Assert.True(signal.WaitAsync(new CancellationToken(canceled: true)).AsTask().IsCanceled);
    }

    [Fact]
    public async Task A_second_concurrent_waiter_is_not_lost()
    {
        var signal = new AsyncAutoResetSignal();
        var first = signal.WaitAsync(CancellationToken.None).AsTask();

        // The second polls: it returns by itself (a spurious wake-up) without taking the first's set.
        await signal.WaitAsync(CancellationToken.None).AsTask().WaitAsync(Bound);
        Assert.False(first.IsCompleted);

        signal.Set();
        await first.WaitAsync(Bound);
    }

    [Fact]
    public async Task A_subscription_reader_that_waits_wakes_for_each_published_frame()
    {
        using var hub = new StreamHub("cam0", 64, 48, 30, 64 * 48, 60, preparer: null);
        using var subscription = hub.Subscribe();
        var pool = new AccessUnitPool(256);
        byte[] idr = [0, 0, 0, 1, 0x65, 0x88];
        byte[] p = [0, 0, 0, 1, 0x41, 0x9A];
        for (var i = 0; i < 50; i++)
        {
            var wait = subscription.WaitToReadAsync(CancellationToken.None).AsTask();
            Assert.False(wait.IsCompleted);
            var unit = pool.Rent();
            unit.Set(i == 0 ? idr : p, i, i == 0, i);
            hub.Publish(unit);

            Assert.True(await wait.WaitAsync(Bound));
            Assert.True(subscription.TryRead(out var read));
            Assert.Equal(i, read.FrameNumber);
            read.Release();
        }

        var ending = subscription.WaitToReadAsync(CancellationToken.None).AsTask();
        hub.Dispose();
        Assert.False(await ending.WaitAsync(Bound));
    }
}
