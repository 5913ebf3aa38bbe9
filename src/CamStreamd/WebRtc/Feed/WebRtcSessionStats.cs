namespace CamStreamd.WebRtc.Feed;

/// <summary>One session's media counters, for the API and metrics (a snapshot; each field read atomically).</summary>
/// <param name="PacketsSent">SRTP packets sent (resends included).</param>
/// <param name="BytesSent">SRTP bytes sent, UDP payload (resends included).</param>
/// <param name="FramesSent">Access units sent in full.</param>
/// <param name="FramesDropped">Access units not sent: a failed send (EAGAIN) or a join before the first keyframe made the session skip to the next IDR.</param>
/// <param name="SendFailures">Datagrams the sender refused (would block).</param>
/// <param name="NacksReceived">Generic NACK feedback packets (RFC 4585 §6.2.1) about our SSRC.</param>
/// <param name="PacketsResent">Packets resent from the stream's history to answer NACKs.</param>
/// <param name="PacketsNotInHistory">NACKed packets no longer (or never) in the history.</param>
/// <param name="PlisReceived">Picture loss indications (RFC 4585 §6.3.1).</param>
/// <param name="FirsReceived">Full intra requests (RFC 5104 §4.3.1).</param>
/// <param name="KeyframeRequests">Of PLIs, FIRs and joins, the IDR requests passed to the stream (at most one a second).</param>
/// <param name="SenderReportsSent">RTCP SRs sent (one a second).</param>
/// <param name="RtcpReceived">SRTCP packets that authenticated.</param>
/// <param name="RtcpRejected">SRTCP packets refused: bad tag, replayed, malformed.</param>
/// <param name="RoundTripMilliseconds">Round-trip time from the latest RR's LSR/DLSR (RFC 3550 §6.4.1), or null before one.</param>
/// <param name="FractionLost">Latest RR fraction lost, in 1/256.</param>
/// <param name="CumulativeLost">Latest RR cumulative packets lost.</param>
/// <param name="JitterMicroseconds">Latest RR interarrival jitter.</param>
/// <param name="WaitingForKeyframe">True while the session skips to the next IDR.</param>
public readonly record struct WebRtcSessionStats(
    long PacketsSent,
    long BytesSent,
    long FramesSent,
    long FramesDropped,
    long SendFailures,
    long NacksReceived,
    long PacketsResent,
    long PacketsNotInHistory,
    long PlisReceived,
    long FirsReceived,
    long KeyframeRequests,
    long SenderReportsSent,
    long RtcpReceived,
    long RtcpRejected,
    double? RoundTripMilliseconds,
    int FractionLost,
    long CumulativeLost,
    long JitterMicroseconds,
    bool WaitingForKeyframe);
