namespace CamStreamd.Interop.Libc;

/// <summary>
/// UDP segmentation offload (GSO, Linux 4.18+) for the <c>sendmmsg</c> batches of both UDP senders:
/// a run of equal-length datagrams to one peer (an H.264 frame's FU-A fragments are all the
/// packetizer's largest size, but the last) goes as one message whose iovecs hold the datagrams and
/// whose <c>UDP_SEGMENT</c> control message gives their length. The kernel walks its send path
/// (route, headers, queueing) once per run and cuts the datagrams at the device, or in the NIC
/// when it can; the peer receives the same datagrams as before. A kernel or path that refuses it
/// (EINVAL: no GSO, or a segment over the path MTU; EIO: a device without checksum offload) gets
/// the same datagrams one message each, and the caller stops asking.
/// </summary>
internal static unsafe class SegmentedDatagrams
{
    /// <summary>
    /// Control bytes per message: <c>CMSG_SPACE(sizeof(uint16_t))</c> on LP64, a 16-byte
    /// <c>cmsghdr</c> and the 2-byte segment size padded to 8.
    /// </summary>
    public const int ControlSpace = 24;

    /// <summary>Most datagrams in one segmented message: <c>UDP_MAX_SEGMENTS</c> (64 before Linux 6.2, 128 since).</summary>
    public const int MaxSegments = 64;

    /// <summary>Most bytes in one segmented message: a UDP datagram's 16-bit length less the UDP and IPv6 headers, rounded down.</summary>
    public const int MaxMessageBytes = 65_000;

    /// <summary>
    /// False when the environment sets <c>CAMSTREAMD_UDP_SEGMENTATION=0</c>: then every datagram is
    /// its own message, so that a packet capture on the board (tcpdump on <c>lo</c>, or on a NIC
    /// that segments in hardware) shows the datagrams as sent rather than one large one per run.
    /// </summary>
    public static bool Enabled { get; } = Environment.GetEnvironmentVariable("CAMSTREAMD_UDP_SEGMENTATION") != "0";

    private const int SOL_UDP = 17; // IPPROTO_UDP
    private const int UDP_SEGMENT = 103; // linux/udp.h

    /// <summary>
    /// Sends the <paramref name="count"/> datagrams <paramref name="iov"/>[0..count) to
    /// <paramref name="name"/> (null on a connected socket) without blocking, runs of equal length
    /// segmented while <paramref name="segment"/> is true (set false when the kernel refused;
    /// those datagrams then go one message each). <paramref name="messages"/> and
    /// <paramref name="segments"/> have room for <paramref name="count"/> entries,
    /// <paramref name="control"/> for <paramref name="count"/> x <see cref="ControlSpace"/> bytes.
    /// Returns how many datagrams went, in order; <paramref name="errno"/> as
    /// <see cref="DatagramBatch.SendAll"/> gives it.
    /// </summary>
    public static int Send(int fd, IoVec* iov, int count, void* name, uint nameLength, MMsgHdr* messages, int* segments, byte* control, ref bool segment, out int errno)
    {
        var sent = 0;
        errno = 0;
        while (sent < count)
        {
            var messageCount = Build(iov + sent, count - sent, name, nameLength, messages, segments, control, segment);
            var messagesSent = DatagramBatch.SendAll(fd, messages, messageCount, out errno);
            for (var i = 0; i < messagesSent; i++)
            {
                sent += segments[i];
            }

            if (messagesSent == messageCount)
            {
                return sent;
            }

            if (!segment || segments[messagesSent] == 1 || errno is not (Errno.EINVAL or Errno.EIO))
            {
                return sent;
            }

            // Refused for segmentation: the rest go unsegmented, now and from now on.
            segment = false;
        }

        return sent;
    }

    /// <summary>
    /// Fills one message per run (or per datagram, when not <paramref name="segment"/>): a run is
    /// datagrams of one length, up to <see cref="MaxSegments"/> and <see cref="MaxMessageBytes"/>,
    /// and may end with one shorter datagram (the kernel's rule: every segment but the last is full).
    /// Returns the messages filled; <paramref name="segments"/>[m] is how many datagrams message m holds.
    /// </summary>
    internal static int Build(IoVec* iov, int count, void* name, uint nameLength, MMsgHdr* messages, int* segments, byte* control, bool segment)
    {
        var messageCount = 0;
        var first = 0;
        while (first < count)
        {
            var size = iov[first].Length;
            var run = 1;
            var bytes = size;
            if (segment)
            {
                while (first + run < count && run < MaxSegments && bytes + iov[first + run].Length <= MaxMessageBytes
                    && iov[first + run].Length <= size)
                {
                    var shorter = iov[first + run].Length < size;
                    bytes += iov[first + run].Length;
                    run++;
                    if (shorter)
                    {
                        break;
                    }
                }
            }

            var message = messages + messageCount;
            *message = default;
            message->Name = name;
            message->NameLength = nameLength;
            message->Iov = iov + first;
            message->IovLength = (nuint)run;
            if (run > 1)
            {
                var cmsg = control + (messageCount * ControlSpace);
                new Span<byte>(cmsg, ControlSpace).Clear();
                *(nuint*)cmsg = 16 + sizeof(ushort); // cmsg_len: CMSG_LEN(sizeof(uint16_t))
                *(int*)(cmsg + 8) = SOL_UDP; // cmsg_level
                *(int*)(cmsg + 12) = UDP_SEGMENT; // cmsg_type
                *(ushort*)(cmsg + 16) = (ushort)size; // the segment size
                message->Control = cmsg;
                message->ControlLength = ControlSpace;
            }

            segments[messageCount] = run;
            messageCount++;
            first += run;
        }

        return messageCount;
    }
}
