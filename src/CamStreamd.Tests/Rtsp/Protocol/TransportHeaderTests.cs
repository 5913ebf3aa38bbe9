using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Tests.Rtsp.Protocol;

public class TransportHeaderTests
{
    [Theory]
    [InlineData("RTP/AVP;unicast;client_port=5000-5001", "Udp", false, "5000-5001", null, null)]
    [InlineData("RTP/AVP/UDP;unicast;client_port=5002", "Udp", false, "5002-5003", null, null)]
    [InlineData("RTP/AVP/TCP;unicast;interleaved=0-1", "Tcp", false, null, "0-1", null)]
    [InlineData("rtp/avp/tcp;interleaved=4-5;mode=\"play\"", "Tcp", false, null, "4-5", null)]
    [InlineData("RTP/AVP;multicast;destination=239.255.42.1;ttl=16", "Udp", true, null, null, null)]
    [InlineData("RTP/AVP;unicast;client_port=6970-6971;ssrc=1234ABCD", "Udp", false, "6970-6971", null, 0x1234ABCDu)]
    public void Parses_one_alternative(string text, string lower, bool multicast, string? clientPorts, string? channels, uint? ssrc)
    {
        Assert.True(TransportSpec.TryParse(text, out var spec));
        Assert.Equal(lower, spec.LowerTransport.ToString());
        Assert.Equal(multicast, spec.Multicast);
        Assert.Equal(clientPorts, spec.ClientPort is { } c ? $"{c.Rtp}-{c.Rtcp}" : null);
        Assert.Equal(channels, spec.Interleaved is { } i ? $"{i.Rtp}-{i.Rtcp}" : null);
        Assert.Equal(ssrc, spec.Ssrc);
        Assert.Equal("PLAY", spec.Mode);
    }

    [Theory]
    [InlineData("RTP/SAVP;unicast;client_port=5000-5001")]
    [InlineData("RAW/RAW/UDP;unicast")]
    [InlineData("RTP/AVP;client_port=abc")]
    [InlineData("RTP/AVP;client_port=70000-70001")]
    [InlineData("RTP/AVP/TCP;interleaved=300-301")]
    [InlineData("RTP/AVP;ssrc=xyz")]
    [InlineData("")]
    public void Refuses_malformed_or_foreign_alternatives(string text) => Assert.False(TransportSpec.TryParse(text, out _));

    [Theory]
    [InlineData("RTP/AVP;multicast,RTP/AVP/TCP;unicast;interleaved=2-3", "Tcp")]
    [InlineData("RTP/SAVP;unicast;client_port=1-2, RTP/AVP;unicast;client_port=5000-5001", "Udp")]
    [InlineData("RTP/AVP;unicast;client_port=5000-5001,RTP/AVP/TCP;interleaved=0-1", "Udp")]
    [InlineData("RTP/AVP/TCP;unicast", "Tcp")]
    public void Selects_first_supported_alternative(string header, string expected)
    {
        Assert.True(TransportHeader.TrySelect(header, out var spec));
        Assert.Equal(expected, spec.LowerTransport.ToString());
    }

    [Theory]
    [InlineData("RTP/AVP;multicast")]
    [InlineData("RTP/AVP;unicast")]
    [InlineData("RTP/AVP/TCP;interleaved=0-1;mode=record")]
    [InlineData("RTP/SAVP;unicast;client_port=1-2")]
    public void Nothing_supported_means_461(string header) => Assert.False(TransportHeader.TrySelect(header, out _));

    [Fact]
    public void Formats_server_reply()
    {
        var spec = new TransportSpec { LowerTransport = RtspLowerTransport.Udp, ClientPort = (5000, 5001), ServerPort = (6000, 6001), Ssrc = 0xAB };
        Assert.Equal("RTP/AVP;unicast;client_port=5000-5001;server_port=6000-6001;ssrc=000000AB;mode=\"PLAY\"", spec.ToString());
    }

    [Theory]
    [InlineData("0123456789ABCDEF;timeout=60", "0123456789ABCDEF", 60)]
    [InlineData("abc", "abc", null)]
    [InlineData(" abc ; timeout=5", "abc", 5)]
    public void Parses_session_header(string value, string id, int? timeout)
    {
        Assert.True(SessionHeader.TryParse(value, out var session));
        Assert.Equal(id, session.Id);
        Assert.Equal(timeout, session.TimeoutSeconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData(";timeout=5")]
    [InlineData("a b")]
    public void Refuses_bad_session_header(string value) => Assert.False(SessionHeader.TryParse(value, out _));

    [Theory]
    [InlineData("rtsp://127.0.0.1:8554/cam0/trackID=0", "cam0", "trackID=0")]
    [InlineData("rtsp://127.0.0.1:8554/cam0/", "cam0", "")]
    [InlineData("rtsp://host/cam0", "cam0", "")]
    [InlineData("/cam0", "cam0", "")]
    [InlineData("/cam0/?x=1", "cam0", "")]
    [InlineData("*", "", "")]
    [InlineData("rtsp://host:554", "", "")]
    public void Maps_url_to_stream_and_track(string uri, string stream, string track)
    {
        Assert.True(RtspTarget.TryParse(uri, out var target));
        Assert.Equal(stream, target.Stream);
        Assert.Equal(track, target.Track);
    }

    [Theory]
    [InlineData("http://host/cam0")]
    [InlineData("cam0")]
    public void Refuses_foreign_urls(string uri) => Assert.False(RtspTarget.TryParse(uri, out _));
}
