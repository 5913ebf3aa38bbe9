using System.Net;
using System.Text.RegularExpressions;
using CamStreamd.Rtsp;
using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp;

/// <summary>
/// The multicast SETUP exchange on the wire (no PLAY: nothing is sent to a group from the host;
/// delivery is tested inside a network namespace by EndToEnd.MulticastTests).
/// </summary>
[Collection(RtspIntegrationGroup.Name)]
public sealed class RtspMulticastSetupTests
{
    private readonly RtspClipFixture _clips;

    public RtspMulticastSetupTests(RtspClipFixture clips) => _clips = clips;

    [Fact]
    public async Task Setup_replies_with_the_streams_group_port_pair_and_ttl()
    {
        var settings = new RtspMulticastSettings { AddressRange = IPNetwork.Parse("239.255.42.0/24"), Ttl = 7 };
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: new RtspServerOptions { Multicast = settings });
        using var first = new RawRtspClient(harness.Port);
        using var second = new RawRtspClient(harness.Port);

        var a = await first.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP;multicast");
        var b = await second.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP;multicast;destination=239.1.1.1;port=6000-6001");
        Assert.Equal(200, a.Status);
        Assert.Equal(200, b.Status);
        var match = Regex.Match(a["Transport"]!, @"^RTP/AVP;multicast;destination=(?<g>239\.255\.42\.\d+);port=5004-5005;ttl=7(;ssrc=[0-9A-F]{8})?;mode=""PLAY""$");
        Assert.True(match.Success, a["Transport"]);

        // Every session of the stream gets the same group; a client's own destination is not used.
        Assert.Contains($"destination={match.Groups["g"].Value};port=5004-5005", b["Transport"], StringComparison.Ordinal);
        Assert.NotEqual(a["Session"], b["Session"]);
        Assert.Equal(2, harness.Server.SessionCount);
        Assert.Equal(0, harness.Hub.SubscriberCount);

        // A client that prefers unicast still gets it.
        var unicast = await first.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP;unicast;client_port=40000-40001, RTP/AVP;multicast");
        Assert.Contains(";unicast;", unicast["Transport"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Setup_multicast_is_461_when_multicast_is_off()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        using var client = new RawRtspClient(harness.Port);
        var reply = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP;multicast");
        Assert.Equal(461, reply.Status);
    }
}
