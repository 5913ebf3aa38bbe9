namespace CamStreamd.Interop.Libc;

/// <summary>
/// The native arrays a <c>sendmmsg</c> batch that spans many peers is built in (the RTSP/UDP and
/// WebRTC fan-outs): its messages, the iovecs they point at, each message's datagram count, its
/// <c>UDP_SEGMENT</c> control message (<see cref="SegmentedDatagrams"/>) and its peer's address,
/// in one zeroed block owned by a <see cref="NativeBufferHandle"/>. Made once per stream, at the
/// first frame it sends; the pointers hold while the owner keeps this object.
/// </summary>
internal sealed unsafe class SpanningSendArrays : IDisposable
{
    /// <summary>Bytes per peer address: sockaddr_in6 is the larger of the two (28 bytes); sockaddr_in is 16.</summary>
    public const int SockaddrSpace = 32;

    private readonly NativeBufferHandle _memory;

    private SpanningSendArrays(int maxMessages, int maxDatagrams)
    {
        var messagesBytes = maxMessages * sizeof(MMsgHdr);
        var iovBytes = maxDatagrams * sizeof(IoVec);
        var segmentsBytes = maxMessages * sizeof(int);
        var controlBytes = maxMessages * SegmentedDatagrams.ControlSpace;
        _memory = NativeBufferHandle.Allocate((nuint)(messagesBytes + iovBytes + segmentsBytes + controlBytes + (maxMessages * SockaddrSpace)));
        var bytes = (byte*)_memory.DangerousGetHandle();
        Messages = (MMsgHdr*)bytes;
        Iov = (IoVec*)(bytes + messagesBytes);
        Segments = (int*)(bytes + messagesBytes + iovBytes);
        Control = bytes + messagesBytes + iovBytes + segmentsBytes;
        Sockaddrs = Control + controlBytes;
    }

    /// <summary>Makes the arrays for up to <paramref name="maxMessages"/> messages carrying <paramref name="maxDatagrams"/> datagrams.</summary>
    public static SpanningSendArrays Allocate(int maxMessages, int maxDatagrams) => new(maxMessages, maxDatagrams);

    /// <summary>The messages (<c>maxMessages</c>).</summary>
    public MMsgHdr* Messages { get; }

    /// <summary>The iovecs the messages point into (<c>maxDatagrams</c>).</summary>
    public IoVec* Iov { get; }

    /// <summary>Datagrams per message (<c>maxMessages</c>).</summary>
    public int* Segments { get; }

    /// <summary>Control space per message, <see cref="SegmentedDatagrams.ControlSpace"/> bytes each.</summary>
    public byte* Control { get; }

    /// <summary>Peer addresses, <see cref="SockaddrSpace"/> bytes each (<c>maxMessages</c>).</summary>
    public byte* Sockaddrs { get; }

    /// <summary>Frees the block (the owner sends no more).</summary>
    public void Dispose() => _memory.Dispose();
}
