using CamStreamd.Interop.Libc;

namespace CamStreamd.WebRtc;

/// <summary>
/// The UDP port every WebRTC session shares (the plane's <c>webrtc.port</c>), as the media feed's
/// fan-out batch sees it: <c>sendmmsg</c> calls whose messages go to many sessions' peers.
/// </summary>
internal unsafe interface ISharedDatagramPort
{
    /// <summary>True while runs of equal datagrams may go as one segmented message (<see cref="SegmentedDatagrams"/>).</summary>
    bool SegmentsDatagrams { get; }

    /// <summary>
    /// Sends <paramref name="messages"/>[0..<paramref name="count"/>) without blocking; returns how
    /// many went, with <paramref name="errno"/> as <see cref="DatagramBatch.SendAll"/> gives it
    /// (EBADF when the port is closed).
    /// </summary>
    int SendMessages(MMsgHdr* messages, int count, out int errno);

    /// <summary>The kernel refused a segmented message (EINVAL, EIO): said once, in the port's log.</summary>
    void OnSegmentationRefused(int errno);
}
