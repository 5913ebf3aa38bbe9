using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CamStreamd.Rtsp;
using CamStreamd.Tests.Rtp;
using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp;

/// <summary>
/// UDP viewers share the server's RTP/RTCP port pair (<see cref="UdpServerPorts"/>), and a frame
/// reaches all of them in <c>sendmmsg</c> batches that span viewers (<see cref="UdpFanoutBatch"/>):
/// every viewer still gets every packet exactly once, and each viewer's RTCP reaches its own session.
/// </summary>
[Collection(RtspIntegrationGroup.Name)]
public class RtspUdpFanoutBatchTests
{
    private const int Viewers = 6;

    private readonly RtspClipFixture _clips;

    public RtspUdpFanoutBatchTests(RtspClipFixture clips) => _clips = clips;

    [Fact]
    public async Task Udp_viewers_share_one_port_pair_get_every_packet_once_from_batches_that_span_them_and_their_rtcp_reaches_their_own_session()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        await using var viewers = await UdpViewerGroup.StartAsync(harness, Viewers);

        // One pair for all: what lets one sendmmsg carry a frame to every viewer.
        var serverRtcp = Assert.Single(viewers.Members.Select(v => v.ServerRtcpPort).Distinct());

        var fanout = harness.Server.Fanouts.For(harness.Hub);
        var (published, calls) = await viewers.DeliverAsync(60, () => (int)fanout.UdpSendCalls);

        // A call per viewer per frame would be 6 per frame; spanning batches make about one.
        Assert.True(calls <= published + 10, $"{calls} sendmmsg calls for {published} frames to {Viewers} viewers");
        Assert.True(calls > 0, "no batch was sent");
        viewers.AssertEveryPacketOnce();

        // Each viewer's receiver report, from its own RTCP port to the shared one, reaches its own session.
        for (var i = 0; i < Viewers; i++)
        {
            var rr = RtcpTestPackets.ReceiverReport(0x100u + (uint)i, viewers.Members[i].Ssrc, 0, 20 + i, 1000, 0);
            await viewers.Members[i].Rtcp.SendToAsync(rr, new IPEndPoint(IPAddress.Loopback, serverRtcp));
        }

        await RtspServerRtcpTests.WaitForAsync(() =>
            viewers.Members.Select((v, i) => harness.Server.Sessions.SingleOrDefault(s => s.Id == v.SessionId)?.RtcpPacketsLost == 20 + i).All(x => x) ? "routed" : null);
    }

    [Fact]
    public async Task A_second_setup_of_a_session_on_the_same_client_ports_keeps_its_rtcp_route()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        using var viewer = UdpRtpViewer.Bind();
        using var client = new RawRtspClient(harness.Port);
        var transport = $"Transport: RTP/AVP;unicast;client_port={viewer.RtpPort}-{viewer.RtpPort + 1}";
        var first = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", transport);
        Assert.Equal(200, first.Status);
        var session = first["Session"]!.Split(';')[0];

        // The second SETUP replaces the session's transport; the first one's end must not take the new one's route.
        var second = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", transport, "Session: " + session);
        Assert.Equal(200, second.Status);
        Assert.Equal(200, (await client.RequestAsync("PLAY", harness.Url, "Session: " + session)).Status);
        var ssrc = RtspServerRtcpTests.ParseSsrc(second["Transport"]!);
        var serverRtcp = int.Parse(Regex.Match(second["Transport"]!, @"server_port=\d+-(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
        await RtspServerRtcpTests.WaitForAsync(() => harness.Server.Sessions.SingleOrDefault(s => s.Id == session)?.FramesSent > 0 ? "playing" : null);

        var rr = RtcpTestPackets.ReceiverReport(0x77, ssrc, 0, 33, 1000, 0);
        await viewer.Rtcp.SendToAsync(rr, new IPEndPoint(IPAddress.Loopback, serverRtcp));
        await RtspServerRtcpTests.WaitForAsync(() => harness.Server.Sessions.SingleOrDefault(s => s.Id == session)?.RtcpPacketsLost == 33 ? "routed" : null);
    }
}
