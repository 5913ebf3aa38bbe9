using System.Diagnostics;
using System.Threading.Tasks.Sources;
using CamStreamd.Interop.Libc;

namespace CamStreamd.Capture;

/// <summary>
/// The pace of a source that makes its own frames: frame n is due at <c>start + n / fps</c>. One
/// dedicated thread sleeps to each due time (<c>clock_nanosleep</c> to an absolute
/// <c>CLOCK_MONOTONIC</c> deadline, so sleeps do not drift) and completes the reader's wait on
/// itself: the reader's loop (the stream pipeline up to the hub) runs on that thread until it waits
/// again. That is one thread wake per frame, as a camera's capture thread costs. A
/// <c>Task.Delay</c> per frame instead woke the runtime's timer thread about 4 times a frame (140
/// wakes/s at 30 fps, 0.0065 CPU-s/s on the bench machine) and then a thread-pool worker.
/// </summary>
/// <remarks>
/// One waiter at a time. A cancelled or disposed wait completes on the thread pool, not on the
/// thread that cancels. A reader that falls behind finds the frames already due and reads them
/// without waiting.
/// </remarks>
internal sealed class FrameClock : IValueTaskSource, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Thread _thread;
    private readonly double _ticksPerFrame;
    private readonly double _nanosecondsPerFrame;
    private readonly long _startTimestamp;
    private readonly long _startMonotonicNanoseconds;
    private ManualResetValueTaskSourceCore<bool> _core; // continuations run inline: on the clock's thread
    private CancellationTokenRegistration _registration;
    private long _due; // frames whose due time has passed
    private long _waitingFor = -1;
    private volatile bool _disposed;

    /// <summary>Starts the clock: frame 0 is due now.</summary>
    public unsafe FrameClock(double fps, string threadName)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        _ticksPerFrame = Stopwatch.Frequency / fps;
        _nanosecondsPerFrame = 1e9 / fps;
        TimeSpec now;
        if (LibcNative.ClockGetTime(LibcNative.CLOCK_MONOTONIC, &now) != 0)
        {
            throw Errno.Last("clock_gettime(CLOCK_MONOTONIC)", null);
        }

        _startMonotonicNanoseconds = now.TotalNanoseconds;
        _startTimestamp = Stopwatch.GetTimestamp();
        _thread = new Thread(Run) { IsBackground = true, Name = threadName };
        _thread.Start();
    }

    /// <summary>When <paramref name="frame"/> is due, in <see cref="Stopwatch"/> ticks.</summary>
    public long DueTimestamp(long frame) => _startTimestamp + (long)Math.Round(frame * _ticksPerFrame);

    /// <summary>Whether the clock's thread still runs (it ends within a frame of <see cref="Dispose"/>).</summary>
    internal bool IsRunning => _thread.IsAlive;

    /// <summary>Completes once <paramref name="frame"/> is due: at once when it is, else on the clock's thread.</summary>
    /// <exception cref="InvalidOperationException">A wait is already pending.</exception>
    public ValueTask WaitForAsync(long frame, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (frame < _due)
            {
                return ValueTask.CompletedTask;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled(cancellationToken);
            }

            if (_waitingFor >= 0)
            {
                throw new InvalidOperationException("one wait at a time");
            }

            _core.Reset();
            _waitingFor = frame;
            var version = _core.Version;

            // Lock is re-entrant: a token cancelled just now runs Cancel here, which ends the wait.
            _registration = cancellationToken.UnsafeRegister(static (state, token) => ((FrameClock)state!).Cancel(token), this);
            return new ValueTask(this, version);
        }
    }

    /// <summary>Stops the clock; a pending wait ends cancelled.</summary>
    public void Dispose()
    {
        _disposed = true;
        Cancel(new CancellationToken(canceled: true));
    }

    /// <inheritdoc/>
    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private unsafe void Run()
    {
        long frame = 0;
        while (!_disposed)
        {
            // A deadline already passed (a late wake on a loaded machine) returns at once, so the
            // count catches up with the frames that fell due meanwhile.
            var deadline = TimeSpec.FromNanoseconds(_startMonotonicNanoseconds + (long)Math.Round(frame * _nanosecondsPerFrame));
            while (LibcNative.ClockNanosleep(LibcNative.CLOCK_MONOTONIC, LibcNative.TIMER_ABSTIME, &deadline, null) == Errno.EINTR && !_disposed)
            {
            }

            frame++;
            CancellationTokenRegistration registration;
            lock (_gate)
            {
                _due = frame;
                if (_disposed || _waitingFor < 0 || _waitingFor >= frame)
                {
                    continue;
                }

                _waitingFor = -1;
                registration = _registration;
                _registration = default;
            }

            // Unregister does not wait for a running callback, which then finds no waiter.
            registration.Unregister();
            _core.SetResult(true); // runs the reader here, until it waits again
        }
    }

    private void Cancel(CancellationToken token)
    {
        lock (_gate)
        {
            if (_waitingFor < 0)
            {
                return;
            }

            _waitingFor = -1;
            _registration = default;
        }

        // Not inline: the reader's loop must not run on the thread that cancels (the host's stop).
        ThreadPool.UnsafeQueueUserWorkItem(
            static state => state.Clock._core.SetException(new OperationCanceledException(state.Token)),
            (Clock: this, Token: token),
            preferLocal: false);
    }
}
