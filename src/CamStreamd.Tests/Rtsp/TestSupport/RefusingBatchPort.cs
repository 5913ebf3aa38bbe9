using CamStreamd.Interop.Libc;
using CamStreamd.Rtsp;
using CamStreamd.Tests.TestSupport;

namespace CamStreamd.Tests.Rtsp.TestSupport;

/// <summary>
/// The server's shared RTP port (<see cref="UdpServerPorts"/>) with a staged refusal in front, set
/// as its <see cref="UdpServerPorts.BatchPort"/>: the fan-out's batches go through it, the viewers'
/// own sends do not. Everything not refused goes out on the real socket.
/// </summary>
internal sealed unsafe class RefusingBatchPort(UdpServerPorts ports) : ISharedDatagramPort
{
    private int _calls;

    /// <summary>The refusal staged.</summary>
    public DatagramRefusal Refusal { get; } = new();

    /// <summary><c>sendmmsg</c> batches asked of the port.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <inheritdoc />
    public bool SegmentsDatagrams => ports.SegmentsDatagrams;

    /// <inheritdoc />
    public int SendMessages(MMsgHdr* messages, int count, out int errno)
    {
        Interlocked.Increment(ref _calls);
        return Refusal.Send(messages, count, out errno, ports.SendMessages);
    }

    /// <inheritdoc />
    public void OnSegmentationRefused(int errno) => ports.OnSegmentationRefused(errno);
}
