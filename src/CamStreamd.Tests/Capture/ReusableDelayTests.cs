using System.Diagnostics;
using CamStreamd.Capture;

namespace CamStreamd.Tests.Capture;

/// <summary>The compositor's frame clock wait: no allocation per wait (Task.Delay allocated a Task and a timer each frame), cancellable.</summary>
public class ReusableDelayTests
{
    [Fact]
    public async Task Waits_elapse_and_arming_one_allocates_nothing()
    {
        // A live token, as the pipeline passes: its registration is made and removed every wait.
        using var delay = new ReusableDelay();
        using var cts = new CancellationTokenSource();
        await delay.WaitAsync(TimeSpan.FromMilliseconds(1), cts.Token);
        long allocated = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 20; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            var wait = delay.WaitAsync(TimeSpan.FromMilliseconds(2), cts.Token);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            await wait;
        }

        Assert.Equal(0, allocated);
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(20 * 2), $"20 waits of 2 ms took {clock.Elapsed.TotalMilliseconds:F1} ms");
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_the_next_wait_still_works()
    {
        using var delay = new ReusableDelay();
        using var cts = new CancellationTokenSource();
        var wait = delay.WaitAsync(TimeSpan.FromMinutes(10), cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await wait);
        await delay.WaitAsync(TimeSpan.FromMilliseconds(1), CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }
}
