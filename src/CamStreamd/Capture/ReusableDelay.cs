using System.Threading.Tasks.Sources;

namespace CamStreamd.Capture;

/// <summary>
/// A delay that allocates nothing per wait: one timer, re-armed for each wait, completes one
/// reused <see cref="ManualResetValueTaskSourceCore{TResult}"/> (<c>Task.Delay</c> allocates a
/// Task and a timer each call, 15 to 30 times a second for a paced source). One waiter at a time.
/// The timer's callback already runs on the thread pool, so the continuation runs there inline.
/// </summary>
internal sealed class ReusableDelay : IValueTaskSource, IDisposable
{
    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private ManualResetValueTaskSourceCore<bool> _core;
    private CancellationTokenRegistration _registration;
    private bool _waiting;

    public ReusableDelay() => _timer = new Timer(static state => ((ReusableDelay)state!).Complete(null), this, Timeout.Infinite, Timeout.Infinite);

    /// <summary>Completes after <paramref name="delay"/> (at once when it is not positive), or cancelled by <paramref name="cancellationToken"/>.</summary>
    /// <exception cref="InvalidOperationException">A wait is already pending.</exception>
    public ValueTask WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (delay <= TimeSpan.Zero)
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            if (_waiting)
            {
                throw new InvalidOperationException("one wait at a time");
            }

            _core.Reset();
            _waiting = true;
            var version = _core.Version;

            // Registration nodes are pooled by the token's source; a token cancelled just now completes the wait here (the lock is re-entrant).
            _registration = cancellationToken.UnsafeRegister(static (state, token) => ((ReusableDelay)state!).Complete(token), this);
            _timer.Change(delay, Timeout.InfiniteTimeSpan);
            return new ValueTask(this, version);
        }
    }

    public void Dispose()
    {
        _timer.Dispose();
        Complete(new CancellationToken(canceled: true));
    }

    /// <inheritdoc/>
    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>Ends the pending wait: elapsed (<paramref name="cancelled"/> null) or cancelled.</summary>
    private void Complete(CancellationToken? cancelled)
    {
        CancellationTokenRegistration registration;
        lock (_gate)
        {
            if (!_waiting)
            {
                return;
            }

            _waiting = false;
            registration = _registration;
            _registration = default;
        }

        // Unregister does not wait for a running callback, which then finds no waiter.
        registration.Unregister();
        if (cancelled is { } token)
        {
            _core.SetException(new OperationCanceledException(token));
        }
        else
        {
            _core.SetResult(true);
        }
    }
}
