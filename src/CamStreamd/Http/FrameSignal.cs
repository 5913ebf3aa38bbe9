namespace CamStreamd.Http;

/// <summary>
/// Tells one viewer "a newer picture exists". Signals coalesce: however many pictures arrive while
/// the viewer is busy, it wakes once and takes the latest, so a slow viewer skips pictures and never
/// queues them. Allocation-free after construction.
/// </summary>
internal sealed class FrameSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private int _pending;

    /// <summary>Marks a newer picture (any thread, never blocks).</summary>
    public void Set()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _semaphore.Release();
        }
    }

    /// <summary>Waits for a mark; false when <paramref name="timeout"/> passes first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!await _semaphore.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        // Cleared before the caller reads the latest picture: a mark set after this point wakes the next wait.
        Volatile.Write(ref _pending, 0);
        return true;
    }

    /// <inheritdoc />
    public void Dispose() => _semaphore.Dispose();
}
