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

    /// <summary>
    /// Sends messages [0, <paramref name="count"/>) on <paramref name="port"/> in as many calls as
    /// it takes. An entry (one peer's messages) starts at <paramref name="firstMessage"/>[e], and
    /// <paramref name="firstMessage"/>[entries] is <paramref name="count"/>. A message the kernel
    /// refuses is marked (<see cref="IsRefused"/>) and the send goes on at the next entry, so one
    /// peer's bad address or a segmentation the kernel will not do costs nobody else; a refused
    /// segmented message (EINVAL, EIO) also tells the port. A full buffer (EAGAIN), a closed port
    /// (EBADF) or a short send without an error stops it: the entries it did not reach are left to
    /// their owners.
    /// </summary>
    public SpanningSendResult Send(ISharedDatagramPort port, int count, ReadOnlySpan<int> firstMessage)
    {
        ArgumentNullException.ThrowIfNull(port);
        var sentUpTo = 0;
        var anyRefused = false;
        var calls = 0;
        var entry = 0;
        while (sentUpTo < count)
        {
            var sent = port.SendMessages(Messages + sentUpTo, count - sentUpTo, out var errno);
            calls++;
            sentUpTo += sent;
            if (sentUpTo == count)
            {
                break;
            }

            if (errno is Errno.EAGAIN or Errno.EBADF or 0)
            {
                return new SpanningSendResult(sentUpTo, anyRefused, Stopped: true, calls);
            }

            if (errno is Errno.EINVAL or Errno.EIO && Segments[sentUpTo] > 1)
            {
                port.OnSegmentationRefused(errno);
            }

            while (firstMessage[entry + 1] <= sentUpTo)
            {
                entry++;
            }

            // Marked refused, its datagram count kept: n becomes -n - 1.
            Segments[sentUpTo] = -Segments[sentUpTo] - 1;
            sentUpTo = firstMessage[entry + 1];
            anyRefused = true;
        }

        return new SpanningSendResult(sentUpTo, anyRefused, Stopped: false, calls);
    }

    /// <summary>True when the last <see cref="Send"/> skipped message <paramref name="message"/> (and its entry's rest) for a refusal.</summary>
    public bool IsRefused(int message) => Segments[message] < 0;

    /// <summary>
    /// The datagrams of entry <paramref name="entry"/> the last <see cref="Send"/> got out, up to
    /// <paramref name="sentUpTo"/> (its result's); <paramref name="refused"/> when a message of the
    /// entry was refused, which ends the count there (the owner sends the rest itself).
    /// </summary>
    public int DatagramsSent(ReadOnlySpan<int> firstMessage, int entry, int sentUpTo, bool anyRefused, out bool refused)
    {
        refused = false;
        var datagrams = 0;
        for (var m = firstMessage[entry]; m < firstMessage[entry + 1] && m < sentUpTo; m++)
        {
            if (anyRefused && IsRefused(m))
            {
                refused = true;
                break;
            }

            datagrams += Segments[m];
        }

        return datagrams;
    }

    /// <summary>Frees the block (the owner sends no more).</summary>
    public void Dispose() => _memory.Dispose();
}
