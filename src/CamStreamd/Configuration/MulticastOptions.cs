namespace CamStreamd.Configuration;

/// <summary><c>rtsp.multicast</c>: multicast delivery (RFC 2326 12.39, <c>multicast</c> transport).</summary>
/// <param name="Enabled"><c>rtsp.multicast.enabled</c>.</param>
/// <param name="AddressRange"><c>rtsp.multicast.addressRange</c>: IPv4 CIDR inside 224.0.0.0/4 from which group addresses are taken.</param>
/// <param name="Ttl"><c>rtsp.multicast.ttl</c>: 1..255.</param>
public sealed record MulticastOptions(bool Enabled = false, string AddressRange = "239.255.42.0/24", int Ttl = 16);
