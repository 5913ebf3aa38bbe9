namespace CamStreamd.Interop.Libc;

/// <summary>
/// A UDP socket many peers share, as a fan-out batch sees it (<see cref="SpanningSendArrays.Send"/>):
/// <c>sendmmsg</c> calls whose messages go to many peers. The WebRTC port (<c>webrtc.port</c>) and
/// the RTSP server's RTP port on each local address are such sockets.
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

    /// <summary>The kernel refused a segmented message (EINVAL, EIO): later batches send a message per datagram.</summary>
    void OnSegmentationRefused(int errno);
}
