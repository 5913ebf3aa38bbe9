using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CamStreamd.WebRtc.Feed;

/// <summary>
/// One session's SRTP packets waiting to go out together: a frame's packets are protected into
/// fixed slots and then either staged in the feed's <see cref="WebRtcFanoutBatch"/> (one
/// <c>sendmmsg</c> for many sessions) or sent with one <see cref="IDatagramSender.TrySendMany"/>
/// of the session's own, per <see cref="Capacity"/> packets and at the end of the frame. The slots
/// are pinned (the fan-out's iovecs point into them until it flushes). Made once per session; not
/// thread-safe (the session's send lock).
/// </summary>
internal sealed unsafe class WebRtcSendBatch
{
    /// <summary>Packets per send: a 720p P-frame at 4 Mbit/s is 3-30 packets, an IDR 40-70; 32 slots of ~1.2 KB are 40 KB per session.</summary>
    public const int Capacity = 32;

    private readonly byte[] _slots;
    private readonly int[] _lengths = new int[Capacity];
    private readonly int[] _payloadLengths = new int[Capacity];

    public WebRtcSendBatch(int slotLength)
    {
        // Slots 16-byte aligned, so each packet starts on its own cache-line-friendly boundary.
        Stride = (slotLength + 15) & ~15;
        _slots = GC.AllocateUninitializedArray<byte>(Capacity * Stride, pinned: true);
        Slots = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_slots));
    }

    /// <summary>Bytes from one slot to the next.</summary>
    public int Stride { get; }

    /// <summary>The first slot (the array is pinned for the session's life).</summary>
    public byte* Slots { get; }

    /// <summary>Packets waiting.</summary>
    public int Count { get; private set; }

    /// <summary>Datagram lengths of the packets waiting.</summary>
    public ReadOnlySpan<int> Lengths => _lengths.AsSpan(0, Count);

    /// <summary>Session sequence number of the first packet waiting.</summary>
    public ushort FirstSequence { get; private set; }

    public bool IsFull => Count == Capacity;

    /// <summary>The next free slot, for the caller to write a packet into and then <see cref="Add"/> it.</summary>
    public Span<byte> NextSlot() => _slots.AsSpan(Count * Stride, Stride);

    /// <summary>Counts the packet written into <see cref="NextSlot"/>: its datagram length, RTP payload length and sequence number.</summary>
    public void Add(int length, int payloadLength, ushort sequence)
    {
        if (Count == 0)
        {
            FirstSequence = sequence;
        }

        _lengths[Count] = length;
        _payloadLengths[Count] = payloadLength;
        Count++;
    }

    /// <summary>Forgets the waiting packets (sent, or the session ended).</summary>
    public void Clear() => Count = 0;

    /// <summary>Sends the waiting packets from <paramref name="start"/> on through the session's own sender; returns how many of those went (all, or the first ones). Does not clear.</summary>
    public int SendFrom(int start, IDatagramSender sender) =>
        start >= Count ? 0 : sender.TrySendMany(_slots.AsSpan(start * Stride), Stride, _lengths.AsSpan(start, Count - start));

    /// <summary>Bytes and RTP payload bytes of the first <paramref name="count"/> packets waiting.</summary>
    public void Measure(int count, out long bytes, out long payloadBytes)
    {
        bytes = 0;
        payloadBytes = 0;
        for (var i = 0; i < count; i++)
        {
            bytes += _lengths[i];
            payloadBytes += _payloadLengths[i];
        }
    }
}
