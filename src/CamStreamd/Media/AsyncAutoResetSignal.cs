using System.Threading.Tasks.Sources;

namespace CamStreamd.Media;

/// <summary>
/// An auto-reset wake-up for a subscription's reader whose waits allocate nothing in steady
/// state (a <see cref="SemaphoreSlim"/> allocates a Task every time a reader actually waits, 30
/// times a second per viewer). <see cref="Set"/> completes the pending wait, or, with none, lets the
/// next wait return at once. Continuations run asynchronously, so the publishing thread never runs
/// a reader's send path.
/// </summary>
/// <remarks>
/// Built for one waiter at a time (a session's send loop). A second, concurrent waiter (two viewers
/// starting a multicast group at once) is not lost: it polls, returning after
/// <see cref="ContendedPollInterval"/> as a spurious wake-up, which readers already tolerate.
/// </remarks>
internal sealed class AsyncAutoResetSignal : IValueTaskSource
{
    /// <summary>How long a second concurrent waiter sleeps before it looks again.</summary>
    internal static readonly TimeSpan ContendedPollInterval = TimeSpan.FromMilliseconds(5);

    private readonly Lock _gate = new();
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private CancellationTokenRegistration _registration;
    private bool _set;
    private bool _waiting;

    /// <summary>Waits until <see cref="Set"/> (or returns at once when it was set since the last wait).</summary>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_set)
            {
                _set = false;
                return ValueTask.CompletedTask;
            }

            if (cancellationToken.IsCancellationRequested)
            {
                return ValueTask.FromCanceled(cancellationToken);
            }

            if (_waiting)
            {
                return new ValueTask(Task.Delay(ContendedPollInterval, cancellationToken));
            }

            _core.Reset();
            _waiting = true;
            var version = _core.Version;

            // Lock is re-entrant: a token cancelled just now runs Cancel here, which completes the wait.
            _registration = cancellationToken.UnsafeRegister(static (state, token) => ((AsyncAutoResetSignal)state!).Cancel(token), this);
            return new ValueTask(this, version);
        }
    }

    /// <summary>Wakes the waiter, or the next one to come.</summary>
    public void Set()
    {
        CancellationTokenRegistration registration;
        lock (_gate)
        {
            if (!_waiting)
            {
                _set = true;
                return;
            }

            _waiting = false;
            registration = _registration;
            _registration = default;
        }

        // Unregister does not wait for a running callback; Cancel then finds no waiter.
        registration.Unregister();
        _core.SetResult(true);
    }

    /// <inheritdoc/>
    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc/>
    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc/>
    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    private void Cancel(CancellationToken token)
    {
        lock (_gate)
        {
            if (!_waiting)
            {
                return;
            }

            _waiting = false;
            _registration = default;
            _core.SetException(new OperationCanceledException(token));
        }
    }
}
