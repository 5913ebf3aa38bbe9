using System.Collections.Concurrent;

namespace CamStreamd.Media;

/// <summary>
/// A pool of <see cref="AccessUnit"/> objects and their buffers. Renting never blocks: when the
/// pool is empty a new unit is made (counted), and at most <see cref="MaxRetained"/> are kept.
/// </summary>
public sealed class AccessUnitPool
{
    private readonly ConcurrentQueue<AccessUnit> _free = new();
    private readonly int _initialCapacity;
    private int _retained;
    private long _created;

    /// <summary>Creates a pool whose new units start with <paramref name="initialCapacity"/> bytes.</summary>
    public AccessUnitPool(int initialCapacity = 64 * 1024, int maxRetained = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRetained);
        _initialCapacity = initialCapacity;
        MaxRetained = maxRetained;
    }

    /// <summary>Most units kept for reuse; more are left to the GC.</summary>
    public int MaxRetained { get; }

    /// <summary>Units created since start (a steady value means no allocation in steady state).</summary>
    public long Created => Interlocked.Read(ref _created);

    /// <summary>Rents a unit holding one reference, empty and ready to fill.</summary>
    public AccessUnit Rent()
    {
        if (_free.TryDequeue(out var unit))
        {
            Interlocked.Decrement(ref _retained);
        }
        else
        {
            unit = new AccessUnit(this, _initialCapacity);
            Interlocked.Increment(ref _created);
        }

        unit.ResetForRent();
        return unit;
    }

    internal void Return(AccessUnit unit)
    {
        if (Interlocked.Increment(ref _retained) <= MaxRetained)
        {
            _free.Enqueue(unit);
        }
        else
        {
            Interlocked.Decrement(ref _retained);
        }
    }
}
