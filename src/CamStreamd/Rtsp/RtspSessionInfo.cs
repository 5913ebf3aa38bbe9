using System.Net;
using CamStreamd.Media;

namespace CamStreamd.Rtsp;

/// <summary>A read-only snapshot of one RTSP session (for the HTTP API and logs).</summary>
/// <param name="Id">The session id.</param>
/// <param name="Stream">The stream's name.</param>
/// <param name="Protocol">How RTP reaches the viewer, or null before SETUP completed.</param>
/// <param name="RemoteEndPoint">The client's RTSP address.</param>
/// <param name="State">Init, Ready or Playing (RFC 2326 Appendix A).</param>
/// <param name="FramesSent">Access units sent.</param>
/// <param name="FramesDropped">Access units this session lost because its queue was full (it skipped to the next keyframe).</param>
/// <param name="BytesSent">Bytes on the wire (RTP; over TCP with the interleaved headers).</param>
/// <param name="RtcpPacketsLost">The client's latest RTCP cumulative loss (RFC 3550 §6.4.1).</param>
/// <param name="RtcpFractionLost">The client's latest RTCP fraction lost, in 1/256.</param>
/// <param name="RtcpJitterMicroseconds">The client's latest RTCP interarrival jitter, in microseconds.</param>
public sealed record RtspSessionInfo(
    string Id,
    string Stream,
    ViewerProtocol? Protocol,
    IPEndPoint RemoteEndPoint,
    RtspSessionState State,
    long FramesSent,
    long FramesDropped,
    long BytesSent,
    long RtcpPacketsLost,
    int RtcpFractionLost,
    long RtcpJitterMicroseconds);
