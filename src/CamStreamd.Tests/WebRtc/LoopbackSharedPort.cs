using System.Net;
using System.Net.Sockets;
using CamStreamd.Interop.Libc;
using CamStreamd.WebRtc;

namespace CamStreamd.Tests.WebRtc;

/// <summary>
/// The plane's shared WebRTC port in miniature for the feed tests: one real non-blocking loopback
/// UDP socket whose <c>sendmmsg</c> batches go to many <see cref="BrowserMediaPeer"/>s. It counts
/// calls, and can refuse the messages to one peer with a chosen errno (EINVAL as a kernel that
/// will not segment, EAGAIN as a full send buffer) to drive the fan-out's failure paths.
/// </summary>
internal sealed unsafe class LoopbackSharedPort : ISharedDatagramPort, IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private byte[]? _refusedPeer;
    private int _refuseErrno;
    private int _refusalsLeft;
    private int _calls;
    private int _segmentationRefusals;
    private bool _segments = SegmentedDatagrams.Enabled;

    public LoopbackSharedPort()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.Blocking = false;
    }

    /// <inheritdoc />
    public bool SegmentsDatagrams => Volatile.Read(ref _segments);

    /// <summary><c>sendmmsg</c> batches asked of the port.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Times the fan-out reported a refused segmented message.</summary>
    public int SegmentationRefusals => Volatile.Read(ref _segmentationRefusals);

    /// <summary>Refuses the next <paramref name="times"/> batches' messages to <paramref name="peer"/> with <paramref name="errno"/>: the batch goes up to the first of them.</summary>
    public void Refuse(SocketAddress peer, int errno, int times = int.MaxValue)
    {
        _refusedPeer = peer.Buffer.Span[..peer.Size].ToArray();
        _refuseErrno = errno;
        Volatile.Write(ref _refusalsLeft, times);
    }

    /// <inheritdoc />
    public int SendMessages(MMsgHdr* messages, int count, out int errno)
    {
        Interlocked.Increment(ref _calls);
        var limit = count;
        if (_refusedPeer is { } refused && Volatile.Read(ref _refusalsLeft) > 0)
        {
            for (var i = 0; i < count; i++)
            {
                if (messages[i].NameLength == refused.Length && new ReadOnlySpan<byte>(messages[i].Name, refused.Length).SequenceEqual(refused))
                {
                    limit = i;
                    Interlocked.Decrement(ref _refusalsLeft);
                    break;
                }
            }
        }

        errno = 0;
        var sent = limit == 0 ? 0 : DatagramBatch.SendAll((int)_socket.SafeHandle.DangerousGetHandle(), messages, limit, out errno);
        if (limit < count && sent == limit)
        {
            errno = _refuseErrno;
        }

        return sent;
    }

    /// <inheritdoc />
    public void OnSegmentationRefused(int errno)
    {
        Interlocked.Increment(ref _segmentationRefusals);
        Volatile.Write(ref _segments, false);
    }

    public void Dispose() => _socket.Dispose();
}
