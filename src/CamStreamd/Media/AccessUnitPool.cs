using System.Buffers;
using System.Collections.Concurrent;

namespace CamStreamd.Media;

/// <summary>
/// A pool of <see cref="AccessUnit"/> objects and their buffers. Renting never blocks: when the
/// pool is empty a new unit is made (counted), and at most <see cref="MaxRetained"/> are kept.
/// </summary>
/// <remarks>
/// A unit's Annex-B and RTP bytes live in arrays rented from <see cref="Buffers"/> by size class
/// and given back when the unit returns, so a cached GOP of small P-frames holds small arrays.
/// Units used to keep their own arrays (64 KiB + 16 KiB each, grown to the largest IDR they ever
/// held): a 120-frame GOP of a 0.5 Mbit/s stream pinned ~10 MiB of heap for ~0.3 MiB of data.
/// </remarks>
public sealed class AccessUnitPool
{
    private readonly ConcurrentQueue<AccessUnit> _free = new();
    /// <summary>Largest array the size classes keep (a 4 MiB IDR is far above any camera's).</summary>
    private const int MaxPooledBufferLength = 4 * 1024 * 1024;

    private readonly int _initialCapacity;
    private int _retained;
    private long _created;

    /// <summary>
    /// Creates a pool whose units rent at least <paramref name="initialCapacity"/> bytes for their
    /// Annex-B data and keep at most <paramref name="maxRetained"/> units (and as many arrays of each
    /// size class) for reuse.
    /// </summary>
    public AccessUnitPool(int initialCapacity = 4 * 1024, int maxRetained = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(initialCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRetained);
        _initialCapacity = initialCapacity;
        MaxRetained = maxRetained;
        Buffers = ArrayPool<byte>.Create(MaxPooledBufferLength, maxRetained);
    }

    /// <summary>The size-classed arrays behind every unit's Annex-B and RTP bytes.</summary>
    internal ArrayPool<byte> Buffers { get; }

    /// <summary>Smallest array a unit rents for its Annex-B data.</summary>
    internal int MinimumBufferLength => _initialCapacity;

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
            unit = new AccessUnit(this);
            Interlocked.Increment(ref _created);
        }

        unit.ResetForRent();
        return unit;
    }

    internal void Return(AccessUnit unit)
    {
        unit.ReturnBuffers();
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
