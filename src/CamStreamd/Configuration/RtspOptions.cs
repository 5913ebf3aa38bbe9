namespace CamStreamd.Configuration;

/// <summary><c>rtsp</c>: the RTSP server (RFC 2326).</summary>
public sealed record RtspOptions
{
    /// <summary><c>rtsp.listenAddress</c>: IP address to bind; <c>0.0.0.0</c> is every IPv4 interface.</summary>
    public string ListenAddress { get; init; } = "0.0.0.0";

    /// <summary><c>rtsp.port</c>: TCP port, 0..65535; 0 picks a free port (tests).</summary>
    public int Port { get; init; } = 8554;

    /// <summary>
    /// <c>rtsp.maxFrameLength</c>: largest access unit in bytes that is sent; larger ones are dropped and
    /// counted. 0 means width*height of the stream (the ESP32-P4 module's ceiling).
    /// </summary>
    public int MaxFrameLength { get; init; }

    /// <summary><c>rtsp.sessionTimeoutSeconds</c>: idle session timeout, 5..3600 (RFC 2326 12.37).</summary>
    public int SessionTimeoutSeconds { get; init; } = 60;

    /// <summary><c>rtsp.multicast</c>.</summary>
    public MulticastOptions Multicast { get; init; } = new();

    /// <summary><c>rtsp.auth</c>.</summary>
    public RtspAuthOptions Auth { get; init; } = new();

    /// <summary>The frame length limit for <paramref name="stream"/>: <see cref="MaxFrameLength"/>, or width*height when it is 0.</summary>
    public int EffectiveMaxFrameLength(StreamOptions stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return MaxFrameLength > 0 ? MaxFrameLength : stream.Source.Width * stream.Source.Height;
    }
}
