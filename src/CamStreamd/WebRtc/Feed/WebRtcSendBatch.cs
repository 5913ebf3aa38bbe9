namespace CamStreamd.WebRtc.Feed;

/// <summary>
/// One session's SRTP packets waiting to go out together: a frame's packets are protected into
/// fixed slots and sent with one <see cref="IDatagramSender.TrySendMany"/> (one <c>sendmmsg</c>)
/// per <see cref="Capacity"/> packets and at the end of the frame, instead of one system call per
/// packet. Made once per session; not thread-safe (the session's send lock).
/// </summary>
internal sealed class WebRtcSendBatch
{
    /// <summary>Packets per send: a 720p P-frame is 3-15 packets, an IDR 40-70; 16 slots of ~1.2 KB are 20 KB per session.</summary>
    public const int Capacity = 16;

    private readonly byte[] _slots;
    private readonly int[] _lengths = new int[Capacity];
    private readonly int[] _payloadLengths = new int[Capacity];

    public WebRtcSendBatch(int slotLength)
    {
        // Slots 16-byte aligned, so each packet starts on its own cache-line-friendly boundary.
        Stride = (slotLength + 15) & ~15;
        _slots = new byte[Capacity * Stride];
    }

    /// <summary>Bytes from one slot to the next.</summary>
    public int Stride { get; }

    /// <summary>Packets waiting.</summary>
    public int Count { get; private set; }

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

    /// <summary>Forgets the waiting packets (the session ended).</summary>
    public void Clear() => Count = 0;

    /// <summary>Sends the waiting packets; returns how many went (all, or the first ones), with their bytes and payload bytes. Empty afterwards either way.</summary>
    public int Flush(IDatagramSender sender, out long bytes, out long payloadBytes)
    {
        var sent = Count == 0 ? 0 : sender.TrySendMany(_slots, Stride, _lengths.AsSpan(0, Count));
        bytes = 0;
        payloadBytes = 0;
        for (var i = 0; i < sent; i++)
        {
            bytes += _lengths[i];
            payloadBytes += _payloadLengths[i];
        }

        Count = 0;
        return sent;
    }
}
