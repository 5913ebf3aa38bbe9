using System.Runtime.CompilerServices;

namespace CamStreamd.Media;

/// <summary>
/// One subscriber's bounded queue of access units from a <see cref="StreamHub"/>. The hub never
/// waits on it: when the queue is full, everything queued is dropped and the subscription skips
/// until the next keyframe (so the viewer's decoder resumes cleanly); drops are counted.
/// The reader owns every unit it reads and releases it.
/// </summary>
public sealed class HubSubscription : IDisposable
{
    private readonly StreamHub _hub;
    private readonly AccessUnit?[] _ring;
    private readonly AsyncAutoResetSignal _signal = new();
    private readonly Lock _gate = new();
    private int _head;
    private int _count;
    private bool _waitingForKeyframe;
    private bool _completed;
    private long _droppedFrames;
    private bool _skippingAfterOverflow;
    private bool _readerPolls;
    private long _deliveredFrames;

    internal HubSubscription(StreamHub hub, int capacity)
    {
        _hub = hub;
        _ring = new AccessUnit?[capacity];
    }

    /// <summary>Most units the queue holds.</summary>
    public int Capacity => _ring.Length;

    /// <summary>Frames dropped because this subscriber fell behind.</summary>
    public long DroppedFrames => Interlocked.Read(ref _droppedFrames);

    /// <summary>Frames handed to this subscriber's reader.</summary>
    public long DeliveredFrames => Interlocked.Read(ref _deliveredFrames);

    /// <summary>True after the hub stopped or the subscription was disposed.</summary>
    public bool IsCompleted
    {
        get
        {
            lock (_gate)
            {
                return _completed;
            }
        }
    }

    /// <summary>Takes the next unit, if any; the caller then owns one reference to it.</summary>
    public bool TryRead(out AccessUnit unit)
    {
        // An empty queue is told without the lock (the fan-out's last read of each pass): a unit
        // offered meanwhile is not missed, as every offer is followed by a pass or a wake-up.
        if (Volatile.Read(ref _count) == 0)
        {
            unit = null!;
            return false;
        }

        lock (_gate)
        {
            if (_count == 0)
            {
                unit = null!;
                return false;
            }

            unit = _ring[_head]!;
            _ring[_head] = null;
            _head = (_head + 1) % _ring.Length;
            _count--;
        }

        Interlocked.Increment(ref _deliveredFrames);
        return true;
    }

    /// <summary>True when a unit may be queued; read without the lock (a unit published just now may be missed, and its publisher's pass serves it).</summary>
    public bool HasQueued => Volatile.Read(ref _count) > 0;

    /// <summary>Looks at the next unit without taking it (no reference is added; valid until read).</summary>
    public bool TryPeek(out AccessUnit unit)
    {
        lock (_gate)
        {
            unit = _count == 0 ? null! : _ring[_head]!;
            return _count > 0;
        }
    }

    /// <summary>
    /// Waits until a unit may be available or the subscription completes. Returns false once
    /// completed and drained. Spurious wake-ups are possible; call <see cref="TryRead"/> after.
    /// </summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // A reader that waits wants its wake-ups again.
            _readerPolls = false;
            if (_count > 0)
            {
                return new ValueTask<bool>(true);
            }

            if (_completed)
            {
                return new ValueTask<bool>(false);
            }
        }

        return WaitForUnitAsync(cancellationToken);
    }

    /// <summary>
    /// The reader looks at the queue on its own from now on (the RTSP fan-out passes over every
    /// viewer as each unit is published), so <see cref="Offer"/> skips the wake-up it would
    /// otherwise give per unit: one lock and two objects less per viewer per frame. The next
    /// <see cref="WaitToReadAsync"/> turns wake-ups back on.
    /// </summary>
    public void ReaderPolls()
    {
        lock (_gate)
        {
            _readerPolls = true;
        }
    }

    /// <summary>Leaves the hub and releases whatever is still queued.</summary>
    public void Dispose()
    {
        _hub.Unsubscribe(this);
        Complete();
    }

    /// <summary>Queues <paramref name="unit"/> (adding a reference) unless this subscriber is skipping to a keyframe.</summary>
    internal void Offer(AccessUnit unit)
    {
        var signal = false;
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            if (_waitingForKeyframe && !unit.IsKeyframe)
            {
                _droppedFrames++;
                if (_skippingAfterOverflow)
                {
                    _hub.Counters.AddDropped(DropReason.ViewerQueueFull);
                }

                return;
            }

            if (_count == _ring.Length)
            {
                // Full: this viewer is too slow. Drop the backlog and restart on the next IDR.
                _droppedFrames += _count;
                _hub.Counters.AddDropped(DropReason.ViewerQueueFull, _count);
                ReleaseQueuedLocked();
                if (!unit.IsKeyframe)
                {
                    _waitingForKeyframe = true;
                    _skippingAfterOverflow = true;
                    _droppedFrames++;
                    _hub.Counters.AddDropped(DropReason.ViewerQueueFull);
                    return;
                }
            }

            _waitingForKeyframe = false;
            _skippingAfterOverflow = false;
            _ring[(_head + _count) % _ring.Length] = unit.Retain();
            _count++;
            signal = _count == 1 && !_readerPolls;
        }

        if (signal)
        {
            Wake();
        }
    }

    /// <summary>Marks the start of the queue as waiting for a keyframe (a subscriber that joined with no cached GOP).</summary>
    internal void SkipToKeyframe()
    {
        lock (_gate)
        {
            _waitingForKeyframe = true;
        }
    }

    internal void Complete()
    {
        lock (_gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            ReleaseQueuedLocked();
        }

        Wake();
    }

    private void Wake() => _signal.Set();

    /// <summary>The waiting path; its state machines come from a pool, so a wait allocates nothing in steady state.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> WaitForUnitAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await _signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                if (_count > 0)
                {
                    return true;
                }

                if (_completed)
                {
                    return false;
                }
            }
        }
    }

    private void ReleaseQueuedLocked()
    {
        while (_count > 0)
        {
            _ring[_head]!.Release();
            _ring[_head] = null;
            _head = (_head + 1) % _ring.Length;
            _count--;
        }

        _head = 0;
    }
}
