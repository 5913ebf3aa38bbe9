using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using CamStreamd.Interop.Libc;
using CamStreamd.Media;

namespace CamStreamd.Rtsp;

/// <summary>
/// Sends a frame's RTP packets to one UDP client with <c>sendmmsg</c>: one system call per up to
/// <see cref="MaxBatch"/> datagrams instead of one per packet (a 720p frame is 10-70 packets).
/// The message and iovec arrays and the destination <c>sockaddr</c> are native memory made once
/// per client, the packets are read in place from the frame's pinned <see cref="WirePacketBlock"/>,
/// so a send allocates nothing. Never blocks: a full socket buffer (EAGAIN) returns the packets
/// left for the caller's asynchronous path. For a socket connected to the client the messages carry
/// no address, so the kernel uses the route it keeps for the socket instead of looking one up per
/// datagram. Runs of full-size packets (a frame's FU-A fragments) go as one segmented message each
/// (<see cref="SegmentedDatagrams"/>), unsegmented from the first refusal on.
/// </summary>
internal sealed unsafe class UdpBatchSender : IDisposable
{
    /// <summary>Datagrams per <c>sendmmsg</c> call (the kernel's limit, UIO_MAXIOV, is 1024).</summary>
    public const int MaxBatch = 64;

    // sockaddr_in6 is the larger of the two (28 bytes); sockaddr_in is 16.
    private const int SockaddrSpace = 32;
    private const int AF_INET = 2;
    private const int AF_INET6 = 10;
    private const int ECONNREFUSED = 111;
    private const int ENOBUFS = 105;

    private static readonly int MessagesBytes = MaxBatch * sizeof(MMsgHdr);
    private static readonly int IoVecBytes = MaxBatch * sizeof(IoVec);
    private static readonly int SegmentsBytes = MaxBatch * sizeof(int);
    private static readonly int ControlBytes = MaxBatch * SegmentedDatagrams.ControlSpace;

    private readonly NativeBufferHandle _memory;
    private readonly uint _sockaddrLength;
    private readonly bool _socketConnected;
    private bool _segment = SegmentedDatagrams.Enabled;

    /// <summary>
    /// Prepares the messages for datagrams to <paramref name="destination"/>; when
    /// <paramref name="socketConnected"/>, the socket is connected to it and the messages name no address.
    /// </summary>
    public UdpBatchSender(IPEndPoint destination, bool socketConnected = false)
    {
        ArgumentNullException.ThrowIfNull(destination);
        _socketConnected = socketConnected;
        _memory = NativeBufferHandle.Allocate((nuint)(MessagesBytes + IoVecBytes + SegmentsBytes + ControlBytes + SockaddrSpace));
        var sockaddr = new Span<byte>(Sockaddr, SockaddrSpace);
        _sockaddrLength = WriteSockaddr(destination, sockaddr);
    }

    /// <summary>Frames whose packets all went in <c>sendmmsg</c> calls.</summary>
    public long FramesBatched { get; private set; }

    /// <summary>False once the kernel refused a segmented message for this client (its datagrams then go one message each).</summary>
    public bool Segmenting => _segment;

    private byte* Base => (byte*)_memory.DangerousGetHandle();

    private byte* Sockaddr => Base + MessagesBytes + IoVecBytes + SegmentsBytes + ControlBytes;

    /// <summary>
    /// Sends <paramref name="block"/>'s packets on <paramref name="socket"/> (the handle, read once
    /// by the caller: <see cref="Socket.SafeHandle"/> marks the socket on every read). Returns the index of
    /// the first packet not sent: <see cref="WirePacketBlock.PacketCount"/> when all went, or when
    /// the frame is to be dropped (ECONNREFUSED: the client closed its port; ENOBUFS), else the
    /// packet to go on from asynchronously (EAGAIN, or another error the socket API will report).
    /// </summary>
    public int Send(SafeSocketHandle socket, WirePacketBlock block) => Send(socket, block, 0, out _);

    /// <summary>
    /// As <see cref="Send(SafeSocketHandle, WirePacketBlock)"/>, from packet <paramref name="first"/> on;
    /// <paramref name="errno"/> is the error that stopped the sends (EAGAIN: wait for room), else 0.
    /// </summary>
    public int Send(SafeSocketHandle socket, WirePacketBlock block, int first, out int errno)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(block);
        var memoryAdded = false;
        var socketAdded = false;
        try
        {
            _memory.DangerousAddRef(ref memoryAdded);
            socket.DangerousAddRef(ref socketAdded);
            var fd = (int)socket.DangerousGetHandle();
            var sent = SendAll(fd, block, first, out errno);
            if (sent == block.PacketCount && first == 0)
            {
                FramesBatched++;
            }

            return sent;
        }
        finally
        {
            if (socketAdded)
            {
                socket.DangerousRelease();
            }

            if (memoryAdded)
            {
                _memory.DangerousRelease();
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _memory.Dispose();

    /// <summary>Writes the Linux <c>sockaddr_in</c>/<c>sockaddr_in6</c> of <paramref name="endPoint"/>; returns its length.</summary>
    internal static uint WriteSockaddr(IPEndPoint endPoint, Span<byte> sockaddr)
    {
        sockaddr.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(sockaddr[2..], (ushort)endPoint.Port);
        if (endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            // sa_family_t is host order; sin_port and sin_addr are network order.
            BinaryPrimitives.WriteUInt16LittleEndian(sockaddr, AF_INET);
            endPoint.Address.TryWriteBytes(sockaddr.Slice(4, 4), out _);
            return 16;
        }

        // sockaddr_in6: family, port, flowinfo (4), address (16), scope id (4).
        BinaryPrimitives.WriteUInt16LittleEndian(sockaddr, AF_INET6);
        endPoint.Address.TryWriteBytes(sockaddr.Slice(8, 16), out _);
        BinaryPrimitives.WriteUInt32LittleEndian(sockaddr[24..], (uint)endPoint.Address.ScopeId);
        return 28;
    }

    private int SendAll(int fd, WirePacketBlock block, int first, out int errno)
    {
        errno = 0;
        var messages = (MMsgHdr*)Base;
        var iov = (IoVec*)(Base + MessagesBytes);
        var segments = (int*)(Base + MessagesBytes + IoVecBytes);
        var control = Base + MessagesBytes + IoVecBytes + SegmentsBytes;

        // An address per message would cost a route lookup per datagram even on a connected socket.
        var name = _socketConnected ? null : Sockaddr;
        var nameLength = _socketConnected ? 0 : _sockaddrLength;
        var bytes = block.InterleavedBytes;
        fixed (byte* data = bytes)
        {
            // The block holds "$ channel length(16)" + packet, back to back (RFC 2326 §10.12 framing).
            var offset = 0;
            for (var skipped = 0; skipped < first; skipped++)
            {
                offset += WirePacketBlock.InterleavedHeaderLength + BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(offset + 2, 2));
            }

            var next = first;
            while (next < block.PacketCount)
            {
                var count = Math.Min(MaxBatch, block.PacketCount - next);
                for (var i = 0; i < count; i++)
                {
                    var length = BinaryPrimitives.ReadUInt16BigEndian(bytes.Slice(offset + 2, 2));
                    iov[i].Base = data + offset + WirePacketBlock.InterleavedHeaderLength;
                    iov[i].Length = length;
                    offset += WirePacketBlock.InterleavedHeaderLength + length;
                }

                var sent = SegmentedDatagrams.Send(fd, iov, count, name, nameLength, messages, segments, control, ref _segment, out errno);
                if (sent < count)
                {
                    // The client is gone or the host is out of buffers: drop the frame, as a lost
                    // datagram would; the session ends by its timeout if the client is really gone.
                    return errno is ECONNREFUSED or ENOBUFS ? block.PacketCount : next + sent;
                }

                next += count;
            }

            return next;
        }
    }
}
