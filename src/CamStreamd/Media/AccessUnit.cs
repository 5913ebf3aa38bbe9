using System.Diagnostics;

namespace CamStreamd.Media;

/// <summary>
/// One encoded H.264 access unit (Annex-B NAL units with start codes), pooled and
/// reference-counted. The producer rents it from an <see cref="AccessUnitPool"/>, fills it and
/// hands its reference to the <see cref="StreamHub"/>; every holder that keeps it calls
/// <see cref="Retain"/> and later <see cref="Release"/>; the last release returns it to the pool.
/// </summary>
public sealed class AccessUnit
{
    /// <summary>The RTP/H.264 clock rate (RFC 6184 §8.2.1).</summary>
    public const int ClockRate = 90_000;

    private readonly AccessUnitPool _pool;
    private byte[] _data;
    private int _refCount;

    internal AccessUnit(AccessUnitPool pool)
    {
        _pool = pool;
        _data = [];
        Rtp = new WirePacketBlock(pool.Buffers);
    }

    /// <summary>Bytes of Annex-B data.</summary>
    public int Length { get; private set; }

    /// <summary>The Annex-B bytes.</summary>
    public ReadOnlySpan<byte> AnnexB => _data.AsSpan(0, Length);

    /// <summary>The Annex-B bytes.</summary>
    public ReadOnlyMemory<byte> AnnexBMemory => _data.AsMemory(0, Length);

    /// <summary>Capture time on the monotonic clock, in <see cref="Stopwatch"/> ticks.</summary>
    public long CaptureTimestamp { get; private set; }

    /// <summary>Capture time in 90 kHz units of the monotonic clock (wraps to 32 bits on the wire).</summary>
    public long Timestamp90k { get; private set; }

    /// <summary>True when the unit holds an IDR picture (and, from our encoders, SPS and PPS before it).</summary>
    public bool IsKeyframe { get; private set; }

    /// <summary>Index of the frame in its stream, from 0.</summary>
    public long FrameNumber { get; private set; }

    /// <summary>The RTP packets of this unit, filled once per stream by the hub's preparer.</summary>
    public WirePacketBlock Rtp { get; }

    /// <summary>Converts monotonic <see cref="Stopwatch"/> ticks to 90 kHz units without overflow.</summary>
    public static long TicksTo90k(long stopwatchTicks) =>
        (long)((Int128)stopwatchTicks * ClockRate / Stopwatch.Frequency);

    /// <summary>
    /// Returns a writable span of exactly <paramref name="length"/> bytes for the Annex-B data,
    /// growing the buffer when needed (growth is rare: buffers are reused at their high-water mark).
    /// </summary>
    public Span<byte> GetWriteSpan(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (length > _data.Length)
        {
            // The old bytes are not kept: the caller writes the whole unit into the span.
            var bigger = _pool.Buffers.Rent(Math.Max(length, _pool.MinimumBufferLength));
            ReturnData();
            _data = bigger;
        }

        Length = length;
        return _data.AsSpan(0, length);
    }

    /// <summary>Copies <paramref name="annexB"/> in and sets the metadata.</summary>
    public void Set(ReadOnlySpan<byte> annexB, long captureTimestamp, bool isKeyframe, long frameNumber)
    {
        annexB.CopyTo(GetWriteSpan(annexB.Length));
        SetMetadata(captureTimestamp, isKeyframe, frameNumber);
    }

    /// <summary>Sets capture time (Stopwatch ticks), keyframe flag and frame number.</summary>
    public void SetMetadata(long captureTimestamp, bool isKeyframe, long frameNumber)
    {
        CaptureTimestamp = captureTimestamp;
        Timestamp90k = TicksTo90k(captureTimestamp);
        IsKeyframe = isKeyframe;
        FrameNumber = frameNumber;
    }

    /// <summary>Adds a reference; returns this unit for chaining.</summary>
    public AccessUnit Retain()
    {
        var count = Interlocked.Increment(ref _refCount);
        if (count <= 1)
        {
            throw new InvalidOperationException("Retain on an access unit that was already returned to its pool.");
        }

        return this;
    }

    /// <summary>Drops a reference; the last one returns the unit to its pool.</summary>
    public void Release()
    {
        var count = Interlocked.Decrement(ref _refCount);
        if (count == 0)
        {
            _pool.Return(this);
        }
        else if (count < 0)
        {
            throw new InvalidOperationException("Access unit released more often than retained.");
        }
    }

    /// <summary>Length of the array behind <see cref="AnnexB"/> (0 while the unit is in its pool).</summary>
    internal int DataCapacity => _data.Length;

    /// <summary>Gives the unit's arrays back to the pool's size classes (the unit is being returned).</summary>
    internal void ReturnBuffers()
    {
        ReturnData();
        Length = 0;
        Rtp.ReturnBuffer();
    }

    private void ReturnData()
    {
        if (_data.Length > 0)
        {
            _pool.Buffers.Return(_data);
            _data = [];
        }
    }

    internal void ResetForRent()
    {
        Length = 0;
        CaptureTimestamp = 0;
        Timestamp90k = 0;
        IsKeyframe = false;
        FrameNumber = 0;
        Rtp.Clear();
        Volatile.Write(ref _refCount, 1);
    }
}
