using System.Net;

namespace CamStreamd.Rtsp;

/// <summary>Multicast delivery (from <c>rtsp.multicast</c>, validated there).</summary>
public sealed record RtspMulticastSettings
{
    /// <summary>The first RTP port given out (RFC 3551 §8's default RTP port); each further port pair adds 2.</summary>
    public const int DefaultBasePort = 5004;

    /// <summary>The IPv4 multicast range the stream groups are taken from, e.g. 239.255.42.0/24.</summary>
    public IPNetwork AddressRange { get; init; } = new(new IPAddress([239, 255, 42, 0]), 24);

    /// <summary>The IP time-to-live of the datagrams (1..255).</summary>
    public int Ttl { get; init; } = 16;

    /// <summary>The RTP port of the first group (even); RTCP is the next port.</summary>
    public int BasePort { get; init; } = DefaultBasePort;
}
