using System.Diagnostics;

namespace CamStreamd.Tests.TestSupport;

public class ManualTimeProviderTests
{
    [Fact]
    public void Timestamp_and_wall_time_move_only_when_advanced_and_together()
    {
        var start = new DateTimeOffset(2030, 6, 1, 12, 0, 0, TimeSpan.Zero);
        var clock = new ManualTimeProvider(start);
        var t0 = clock.GetTimestamp();
        Assert.Equal(Stopwatch.Frequency, clock.TimestampFrequency);
        Assert.Equal(start, clock.GetUtcNow());
        Assert.Equal(t0, clock.GetTimestamp());

        clock.Advance(TimeSpan.FromMilliseconds(1234.5));
        Assert.Equal(TimeSpan.FromMilliseconds(1234.5), clock.GetElapsedTime(t0));
        Assert.Equal(start.AddMilliseconds(1234.5), clock.GetUtcNow());

        clock.AdvanceTo(t0 + (2 * Stopwatch.Frequency));
        Assert.Equal(start.AddSeconds(2), clock.GetUtcNow());
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.AdvanceTo(t0));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(-1)));
    }

    [Fact]
    public void Timers_fire_in_due_order_at_their_due_time_once_or_periodically()
    {
        var clock = new ManualTimeProvider();
        var t0 = clock.GetTimestamp();
        var fired = new List<(string Name, TimeSpan At)>();
        void Record(object? name) => fired.Add(((string)name!, clock.GetElapsedTime(t0)));

        using var late = clock.CreateTimer(Record, "late", TimeSpan.FromMilliseconds(30), Timeout.InfiniteTimeSpan);
        using var periodic = clock.CreateTimer(Record, "tick", TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(10));
        using var idle = clock.CreateTimer(Record, "idle", Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        using var disposed = clock.CreateTimer(Record, "disposed", TimeSpan.FromMilliseconds(5), Timeout.InfiniteTimeSpan);
        disposed.Dispose();
        Assert.False(disposed.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        Assert.Equal(2, clock.ActiveTimers);

        clock.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Empty(fired);

        clock.Advance(TimeSpan.FromMilliseconds(26)); // to 35 ms; on the 30 ms tie the earlier-created timer fires first
        Assert.Equal(
            [("tick", TimeSpan.FromMilliseconds(10)), ("tick", TimeSpan.FromMilliseconds(20)), ("late", TimeSpan.FromMilliseconds(30)), ("tick", TimeSpan.FromMilliseconds(30))],
            fired);
        Assert.Equal(TimeSpan.FromMilliseconds(35), clock.GetElapsedTime(t0));
        Assert.Equal(1, clock.ActiveTimers); // the one-shot is spent

        fired.Clear();
        Assert.True(periodic.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        Assert.True(idle.Change(TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal([("idle", TimeSpan.FromMilliseconds(36))], fired);
        Assert.Throws<ArgumentOutOfRangeException>(() => idle.Change(TimeSpan.FromTicks(-5), TimeSpan.Zero));
    }

    [Fact]
    public async Task Task_Delay_on_the_manual_clock_completes_only_when_advanced_and_honours_cancellation()
    {
        var clock = new ManualTimeProvider();
        var delay = Task.Delay(TimeSpan.FromSeconds(10), clock);
        clock.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromTicks(1));
        Assert.False(delay.IsCompleted);
        clock.Advance(TimeSpan.FromTicks(1));
        await delay.WaitAsync(TimeSpan.FromSeconds(5));

        using var cts = new CancellationTokenSource();
        var cancelled = Task.Delay(TimeSpan.FromSeconds(1), clock, cts.Token);
        Assert.Equal(1, clock.ActiveTimers);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(0, clock.ActiveTimers); // Task.Delay disposed its timer
    }
}
