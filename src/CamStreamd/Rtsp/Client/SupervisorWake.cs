namespace CamStreamd.Rtsp.Client;

/// <summary>
/// How a pull session's supervising loop sleeps: until its next deadline (a timer of the
/// session's <see cref="TimeProvider"/>), until <see cref="Wake"/> (an IDR became wanted), or until
/// the connection or the UDP media ends. Between deadlines an idle session costs nothing: no
/// polling tick, and the timer of a sleep that ended early is cancelled, not left to fire.
/// One sleeper (the loop); <see cref="Wake"/> from any thread.
/// </summary>
internal sealed class SupervisorWake
{
    private readonly TimeProvider _time;
    private TaskCompletionSource _wake = NewSource();
    private long _wakeups;
    private int _asleep;

    /// <summary>Creates the signal on <paramref name="time"/>'s timers.</summary>
    public SupervisorWake(TimeProvider time) => _time = time;

    /// <summary>Sleeps that ended (deadline, wake, connection or media end, cancellation), those that returned at once included.</summary>
    public long Wakeups => Interlocked.Read(ref _wakeups);

    /// <summary>True while the loop sleeps.</summary>
    public bool Asleep => Volatile.Read(ref _asleep) != 0;

    /// <summary>Ends the current sleep, or the next one at once when none runs.</summary>
    public void Wake() => Volatile.Read(ref _wake).TrySetResult();

    /// <summary>
    /// Forgets a wake-up already taken. The loop calls it before it looks at what is wanted, so a
    /// <see cref="Wake"/> after the look ends the next sleep instead of being lost.
    /// </summary>
    public void Rearm()
    {
        if (_wake.Task.IsCompleted)
        {
            Volatile.Write(ref _wake, NewSource());
        }
    }

    /// <summary>
    /// Sleeps until <paramref name="deadline"/> (a timestamp of the clock), <see cref="Wake"/>,
    /// <paramref name="closed"/> or <paramref name="media"/> completing, or cancellation (throws).
    /// </summary>
    public async Task SleepUntilAsync(long deadline, Task closed, Task? media, CancellationToken cancellationToken)
    {
        var due = _time.GetElapsedTime(_time.GetTimestamp(), deadline);
        if (due <= TimeSpan.Zero || _wake.Task.IsCompleted)
        {
            Interlocked.Increment(ref _wakeups);
            cancellationToken.ThrowIfCancellationRequested();
            return;
        }

        // Timers count whole milliseconds and would fire up to 1 ms early: an early wake-up finds
        // nothing due and sleeps again, so round up.
        due = TimeSpan.FromMilliseconds(Math.Ceiling(due.TotalMilliseconds));
        using var sleep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var timer = Task.Delay(due, _time, sleep.Token);
        Volatile.Write(ref _asleep, 1);
        try
        {
            await (media is null ? Task.WhenAny(closed, _wake.Task, timer) : Task.WhenAny(closed, media, _wake.Task, timer)).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _asleep, 0);
            Interlocked.Increment(ref _wakeups);

            // A sleep that ended early takes its timer with it.
            await sleep.CancelAsync().ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
