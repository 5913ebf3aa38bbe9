using System.Buffers.Binary;

namespace CamStreamd.Rtp;

/// <summary>
/// A small reorder buffer for RTP over UDP: packets come out in sequence-number order. A packet
/// that arrives early waits for the missing ones until <see cref="Capacity"/> later packets are
/// held or the oldest held packet has waited <see cref="MaxWaitTicks"/>; then the missing ones
/// count as lost and the packets after them come out (the depacketizer sees the gap and waits for
/// the next IDR). Duplicates and packets older than what already came out are dropped.
/// </summary>
/// <remarks>
/// Use: after each <see cref="Push"/>, call <see cref="TryRead"/> until it returns false. Packets
/// are copied into the buffer's own reusable slots (no allocation in steady state) and what
/// <see cref="TryRead"/> returns stays valid until the next push. A jump of more than
/// <see cref="ResyncDistance"/> sequence numbers either way (a sender that restarted) starts over
/// at the new number. Not thread-safe.
/// </remarks>
public sealed class RtpReorderBuffer
{
    /// <summary>Default number of packets held while waiting for a missing one.</summary>
    public const int DefaultCapacity = 64;

    /// <summary>A sequence jump this large is a restarted sender, not loss or reordering (RFC 3550 A.1's MAX_DROPOUT).</summary>
    public const int ResyncDistance = 3000;

    private const int InitialSlotSize = 2048;

    // Held packets by sequence number modulo capacity (null = empty); packets handed out by the
    // last push; and spare buffers. A released packet's buffer moves to the ready list, so a new
    // packet stored in the same slot never overwrites one the caller is still reading.
    private readonly byte[]?[] _slots;
    private readonly int[] _lengths;
    private readonly long[] _arrivals;
    private readonly byte[][] _ready;
    private readonly int[] _readyLengths;
    private readonly Stack<byte[]> _spare = new();
    private int _readyCount;
    private int _readIndex;
    private int _heldCount;
    private ushort _next;
    private bool _started;

    /// <summary>Creates the buffer.</summary>
    /// <param name="capacity">Packets held at most while one is missing (2..1024).</param>
    /// <param name="maxWaitTicks">Longest a held packet waits for the ones before it, in the clock's ticks of the arrival times given to <see cref="Push"/>.</param>
    public RtpReorderBuffer(int capacity, long maxWaitTicks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 1024);
        ArgumentOutOfRangeException.ThrowIfNegative(maxWaitTicks);
        Capacity = capacity;
        MaxWaitTicks = maxWaitTicks;
        _slots = new byte[capacity][];
        _lengths = new int[capacity];
        _arrivals = new long[capacity];
        _ready = new byte[capacity + 1][];
        _readyLengths = new int[capacity + 1];
    }

    /// <summary>Packets held at most.</summary>
    public int Capacity { get; }

    /// <summary>Longest wait of a held packet, in arrival-clock ticks.</summary>
    public long MaxWaitTicks { get; }

    /// <summary>Packets given out in order.</summary>
    public long PacketsOut { get; private set; }

    /// <summary>Packets that arrived out of order and were put back in order.</summary>
    public long PacketsReordered { get; private set; }

    /// <summary>Sequence numbers given up as lost.</summary>
    public long PacketsLost { get; private set; }

    /// <summary>Duplicates and packets later than what already came out, dropped.</summary>
    public long PacketsDroppedLate { get; private set; }

    /// <summary>Packets shorter than an RTP header, dropped.</summary>
    public long PacketsMalformed { get; private set; }

    /// <summary>Times the sequence jumped so far that the buffer started over.</summary>
    public long Resyncs { get; private set; }

    /// <summary>Forgets every held packet and the sequence position (a new session).</summary>
    public void Reset()
    {
        RecycleReady();
        for (var i = 0; i < Capacity; i++)
        {
            if (_slots[i] is { } buffer)
            {
                _spare.Push(buffer);
                _slots[i] = null;
            }
        }

        _heldCount = 0;
        _started = false;
    }

    /// <summary>Takes the next in-order packet, valid until the next <see cref="Push"/>.</summary>
    public bool TryRead(out ReadOnlySpan<byte> packet)
    {
        if (_readIndex >= _readyCount)
        {
            packet = default;
            return false;
        }

        packet = _ready[_readIndex].AsSpan(0, _readyLengths[_readIndex]);
        _readIndex++;
        return true;
    }

    /// <summary>Feeds one RTP packet that arrived at <paramref name="arrival"/> (a monotonic clock).</summary>
    public void Push(ReadOnlySpan<byte> packet, long arrival)
    {
        // Packets handed out by the previous push are done with.
        RecycleReady();
        if (packet.Length < RtpHeader.FixedLength)
        {
            PacketsMalformed++;
            return;
        }

        var sequence = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        if (!_started)
        {
            _started = true;
            _next = sequence;
        }

        var delta = (short)(sequence - _next);
        if (delta <= -ResyncDistance || delta >= ResyncDistance)
        {
            // A restarted sender: what is held belongs to the old numbering and comes out first.
            Resyncs++;
            DrainAll();
            _next = sequence;
            delta = 0;
        }
        else if (delta < 0)
        {
            PacketsDroppedLate++;
            return;
        }

        // Too far ahead for the window: the oldest missing numbers are given up.
        while (delta >= Capacity)
        {
            SkipOne();
            delta = (short)(sequence - _next);
        }

        var index = sequence % Capacity;
        if (_slots[index] is not null)
        {
            PacketsDroppedLate++;
            return;
        }

        Store(index, packet, arrival);
        if (delta > 0)
        {
            PacketsReordered++;
        }

        Drain();

        // A packet held too long: give up on the ones it waits for.
        while (_heldCount > 0 && arrival - OldestArrival() > MaxWaitTicks)
        {
            SkipOne();
            Drain();
        }
    }

    private void Store(int index, ReadOnlySpan<byte> packet, long arrival)
    {
        if (!_spare.TryPop(out var buffer) || buffer.Length < packet.Length)
        {
            buffer = new byte[Math.Max(InitialSlotSize, packet.Length)];
        }

        packet.CopyTo(buffer);
        _slots[index] = buffer;
        _lengths[index] = packet.Length;
        _arrivals[index] = arrival;
        _heldCount++;
    }

    /// <summary>Moves consecutive held packets from <see cref="_next"/> on to the ready list.</summary>
    private void Drain()
    {
        while (true)
        {
            var index = _next % Capacity;
            if (_slots[index] is null)
            {
                return;
            }

            Release(index);
        }
    }

    /// <summary>Gives up the number at <see cref="_next"/>: out if held, else lost.</summary>
    private void SkipOne()
    {
        var index = _next % Capacity;
        if (_slots[index] is not null)
        {
            Release(index);
            return;
        }

        PacketsLost++;
        _next++;
    }

    private void DrainAll()
    {
        var scanned = 0;
        while (_heldCount > 0 && scanned++ < Capacity)
        {
            SkipOne();
        }
    }

    private void Release(int index)
    {
        _ready[_readyCount] = _slots[index]!;
        _readyLengths[_readyCount] = _lengths[index];
        _readyCount++;
        _slots[index] = null;
        _heldCount--;
        PacketsOut++;
        _next++;
    }

    private void RecycleReady()
    {
        for (var i = 0; i < _readyCount; i++)
        {
            _spare.Push(_ready[i]);
            _ready[i] = null!;
        }

        _readyCount = 0;
        _readIndex = 0;
    }

    private long OldestArrival()
    {
        var oldest = long.MaxValue;
        for (var i = 0; i < Capacity; i++)
        {
            if (_slots[i] is not null && _arrivals[i] < oldest)
            {
                oldest = _arrivals[i];
            }
        }

        return oldest;
    }
}
