using System.Net;
using System.Net.Sockets;
using CamStreamd.Interop.Libc;
using CamStreamd.Tests.TestSupport;

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
    private readonly DatagramRefusal _refusal = new();
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
    public void Refuse(SocketAddress peer, int errno, int times = int.MaxValue) => _refusal.Refuse(peer, errno, times);

    /// <inheritdoc />
    public int SendMessages(MMsgHdr* messages, int count, out int errno)
    {
        Interlocked.Increment(ref _calls);
        return _refusal.Send(messages, count, out errno, SendReally);
    }

    /// <inheritdoc />
    public void OnSegmentationRefused(int errno)
    {
        Interlocked.Increment(ref _segmentationRefusals);
        Volatile.Write(ref _segments, false);
    }

    public void Dispose() => _socket.Dispose();

    private int SendReally(MMsgHdr* messages, int count, out int errno) =>
        DatagramBatch.SendAll(_socket.SafeHandle, messages, count, out errno);
}
