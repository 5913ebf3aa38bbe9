using System.Diagnostics;

namespace CamStreamd.Tests.TestSupport;

/// <summary>
/// A clock that moves only when a test calls <see cref="Advance"/> or <see cref="AdvanceTo"/>,
/// for testing pacing logic deterministically. Thread-safe.
/// </summary>
/// <remarks>
/// Timestamps use <see cref="Stopwatch.Frequency"/> so they compare directly with capture
/// timestamps. Advancing fires every timer that falls due, in due order (ties in creation order),
/// with the clock set to that timer's due time while its callback runs; callbacks run on the
/// advancing thread, outside the lock, so they may create or change timers. A timer created
/// with a zero due time fires on the next advance, including <c>Advance(TimeSpan.Zero)</c>.
/// </remarks>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly DateTimeOffset _epoch;
    private readonly long _epochTimestamp;
    private long _now;

    /// <summary>Starts at <paramref name="utcStart"/> (default 2025-01-01) with a large nonzero timestamp.</summary>
    public ManualTimeProvider(DateTimeOffset? utcStart = null)
    {
        _epoch = utcStart ?? new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        _epochTimestamp = _now = 1_000 * Stopwatch.Frequency; // nonzero: code must not assume a zero origin
    }

    /// <summary>Timers created and neither disposed nor spent (one-shot fired, or due time infinite).</summary>
    public int ActiveTimers
    {
        get { lock (_gate) { return _timers.Count(t => t.Due is not null); } }
    }

    /// <inheritdoc/>
    public override long TimestampFrequency => Stopwatch.Frequency;

    /// <inheritdoc/>
    public override long GetTimestamp() => Interlocked.Read(ref _now);

    /// <inheritdoc/>
    public override DateTimeOffset GetUtcNow() => _epoch.AddTicks(ToTimeSpanTicks(GetTimestamp() - _epochTimestamp));

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing due timers.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        AdvanceTo(GetTimestamp() + FromTimeSpan(delta));
    }

    /// <summary>Moves the clock to <paramref name="timestamp"/> (never backwards), firing due timers.</summary>
    public void AdvanceTo(long timestamp)
    {
        while (true)
        {
            ManualTimer? next = null;
            lock (_gate)
            {
                ArgumentOutOfRangeException.ThrowIfLessThan(timestamp, _now);
                foreach (var t in _timers)
                {
                    // Strict '<' keeps the earlier-created timer on ties: the list is in creation order.
                    if (t.Due <= timestamp && (next is null || t.Due < next.Due))
                    {
                        next = t;
                    }
                }

                if (next is null)
                {
                    Interlocked.Exchange(ref _now, timestamp);
                    return;
                }

                Interlocked.Exchange(ref _now, next.Due!.Value);
                next.Due = next.Period > 0 ? next.Due + next.Period : null;
            }

            next.Callback(next.State);
        }
    }

    /// <inheritdoc/>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        lock (_gate)
        {
            _timers.Add(timer);
        }

        timer.Change(dueTime, period);
        return timer;
    }

    private static long ToTimeSpanTicks(long timestamp) => (long)((Int128)timestamp * TimeSpan.TicksPerSecond / Stopwatch.Frequency);

    private static long FromTimeSpan(TimeSpan span) => (long)((Int128)span.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond);

    private static long? ToDelta(TimeSpan span, string name) =>
        span == Timeout.InfiniteTimeSpan ? null
        : span >= TimeSpan.Zero ? FromTimeSpan(span)
        : throw new ArgumentOutOfRangeException(name, span, "Must be non-negative or infinite.");

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        /// <summary>Next firing timestamp; null when idle. Guarded by the owner's lock.</summary>
        public long? Due { get; set; }

        /// <summary>Period in timestamp ticks; 0 for one-shot. Guarded by the owner's lock.</summary>
        public long Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var due = ToDelta(dueTime, nameof(dueTime));
            var every = ToDelta(period, nameof(period)) ?? 0;
            lock (owner._gate)
            {
                if (!owner._timers.Contains(this))
                {
                    return false; // disposed
                }

                Due = owner._now + due;
                Period = every;
                return true;
            }
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                owner._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
