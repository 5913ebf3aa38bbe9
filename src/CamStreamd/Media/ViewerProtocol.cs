namespace CamStreamd.Media;

/// <summary>How a viewer receives a stream (clients are counted per protocol).</summary>
public enum ViewerProtocol
{
    /// <summary>RTSP with RTP interleaved on the TCP connection.</summary>
    RtspTcp,

    /// <summary>RTSP with RTP over unicast UDP.</summary>
    RtspUdp,

    /// <summary>RTSP with RTP over multicast UDP.</summary>
    RtspMulticast,

    /// <summary>HTTP multipart MJPEG.</summary>
    Mjpeg,

    /// <summary>WebRTC (WHEP).</summary>
    WebRtc,

    /// <summary>A publisher pushing the stream to an upstream server (RTSP RECORD, RTMP, SRT), one per connected target.</summary>
    Publish,

    /// <summary>The recorder writing MP4 segments, while it records.</summary>
    Record,
}
