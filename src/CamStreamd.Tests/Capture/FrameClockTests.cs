using System.Diagnostics;
using CamStreamd.Capture;

namespace CamStreamd.Tests.Capture;

public sealed class FrameClockTests
{
    private const string ThreadName = "frame-clock-test";

    [Fact]
    public async Task Each_wait_ends_at_its_frames_due_time_and_the_reader_runs_on_the_clocks_thread()
    {
        using var clock = new FrameClock(fps: 100, ThreadName);
        var threads = new List<string?>();
        for (long frame = 0; frame < 6; frame++)
        {
            var (thread, woke) = await WaitAsTheReaderDoes(clock, frame).WaitAsync(Timeout);
            Assert.True(woke >= clock.DueTimestamp(frame), $"frame {frame} ended {Stopwatch.GetElapsedTime(woke, clock.DueTimestamp(frame))} before it was due");
            threads.Add(thread);
        }

        // The reader's continuation runs where the wait completes: on the clock's own thread, with
        // no timer thread and no thread-pool worker between the due time and the reader.
        Assert.Equal(ThreadName, threads[^1]);
        Assert.Equal(Stopwatch.Frequency * 5 / 100, clock.DueTimestamp(5) - clock.DueTimestamp(0), tolerance: 1);
    }

    [Fact]
    public async Task A_frame_already_due_completes_at_once()
    {
        using var clock = new FrameClock(fps: 1000, ThreadName);
        await clock.WaitForAsync(20, CancellationToken.None).AsTask().WaitAsync(Timeout);

        var earlier = clock.WaitForAsync(3, CancellationToken.None);

        Assert.True(earlier.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_cancelled_wait_ends_with_cancellation_long_before_its_frame()
    {
        using var clock = new FrameClock(fps: 1, ThreadName);
        using var cancel = new CancellationTokenSource();
        var wait = clock.WaitForAsync(3600, cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Dispose_ends_a_pending_wait_and_stops_the_thread()
    {
        var clock = new FrameClock(fps: 50, ThreadName);
        var wait = clock.WaitForAsync(1_000_000, CancellationToken.None).AsTask();

        clock.Dispose();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(Timeout));
        Assert.Throws<ObjectDisposedException>(() => { _ = clock.WaitForAsync(0, CancellationToken.None).AsTask(); });

        // The thread notices at its next due time (20 ms); bounded by progress, not a guess.
        for (var i = 0; i < 500 && clock.IsRunning; i++)
        {
            await Task.Delay(10);
        }

        Assert.False(clock.IsRunning);
    }

    [Fact]
    public async Task A_second_concurrent_wait_is_refused()
    {
        using var clock = new FrameClock(fps: 1, ThreadName);
        using var cancel = new CancellationTokenSource();
        var first = clock.WaitForAsync(3600, cancel.Token).AsTask();

        Assert.Throws<InvalidOperationException>(() => { _ = clock.WaitForAsync(3601, CancellationToken.None).AsTask(); });

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.WaitAsync(Timeout));
    }

    private static TimeSpan Timeout => TimeSpan.FromSeconds(5);

    // As StreamPipeline awaits its source: ConfigureAwait(false), so the continuation runs inline.
    private static async Task<(string? Thread, long Woke)> WaitAsTheReaderDoes(FrameClock clock, long frame)
    {
        await clock.WaitForAsync(frame, CancellationToken.None).ConfigureAwait(false);
        return (Thread.CurrentThread.Name, Stopwatch.GetTimestamp());
    }
}
