using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Tests.Rtsp.Protocol;

public class TransportSelectorTests
{
    [Fact]
    public void Multicast_is_selected_only_when_enabled()
    {
        Assert.False(TransportSelector.TrySelect("RTP/AVP;multicast", multicastEnabled: false, out _));
        Assert.True(TransportSelector.TrySelect("RTP/AVP;multicast", multicastEnabled: true, out var spec));
        Assert.True(spec.Multicast);
        Assert.False(TransportSelector.TrySelect("RTP/AVP/TCP;multicast", multicastEnabled: true, out _));
        Assert.False(TransportSelector.TrySelect("RTP/AVP;multicast;mode=record", multicastEnabled: true, out _));
    }

    [Fact]
    public void The_clients_order_of_preference_wins()
    {
        Assert.True(TransportSelector.TrySelect("RTP/AVP;multicast, RTP/AVP;unicast;client_port=5000-5001", true, out var first));
        Assert.True(first.Multicast);
        Assert.True(TransportSelector.TrySelect("RTP/AVP;unicast;client_port=5000-5001, RTP/AVP;multicast", true, out var second));
        Assert.False(second.Multicast);
        Assert.True(TransportSelector.TrySelect("RTP/AVP;multicast, RTP/AVP/TCP;interleaved=0-1", false, out var fallback));
        Assert.Equal(RtspLowerTransport.Tcp, fallback.LowerTransport);
    }

    [Fact]
    public void Multicast_port_and_ttl_parse_and_format()
    {
        Assert.True(TransportSpec.TryParse("RTP/AVP;multicast;destination=239.255.42.9;port=5004-5005;ttl=16", out var spec));
        Assert.Equal((5004, 5005), spec.Port);
        Assert.Equal(16, spec.Ttl);
        Assert.Equal("239.255.42.9", spec.Destination);

        var reply = new TransportSpec { Multicast = true, Destination = "239.255.42.9", Port = (5004, 5005), Ttl = 16, Ssrc = 0x1234ABCD };
        Assert.Equal("RTP/AVP;multicast;destination=239.255.42.9;port=5004-5005;ttl=16;ssrc=1234ABCD;mode=\"PLAY\"", reply.ToString());

        Assert.False(TransportSpec.TryParse("RTP/AVP;multicast;ttl=256", out _));
        Assert.False(TransportSpec.TryParse("RTP/AVP;multicast;ttl=-1", out _));
        Assert.False(TransportSpec.TryParse("RTP/AVP;multicast;port=x", out _));
    }
}
