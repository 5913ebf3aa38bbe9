namespace CamStreamd.Configuration;

/// <summary><c>rtsp.multicast</c>: multicast delivery (RFC 2326 12.39, <c>multicast</c> transport).</summary>
public sealed record MulticastOptions
{
    /// <summary><c>rtsp.multicast.enabled</c>.</summary>
    public bool Enabled { get; init; }

    /// <summary><c>rtsp.multicast.addressRange</c>: IPv4 CIDR inside 224.0.0.0/4 from which group addresses are taken.</summary>
    public string AddressRange { get; init; } = "239.255.42.0/24";

    /// <summary><c>rtsp.multicast.ttl</c>: 1..255.</summary>
    public int Ttl { get; init; } = 16;
}
