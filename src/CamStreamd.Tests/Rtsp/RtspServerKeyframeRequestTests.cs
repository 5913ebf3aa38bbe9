using CamStreamd.Rtsp;
using CamStreamd.Tests.Rtp;
using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp;

/// <summary>
/// A client's PLI (RFC 4585) or FIR (RFC 5104) about our stream asks the encoder for an IDR,
/// at most once a second per client, whatever the client repeats; one about another SSRC is ignored.
/// </summary>
[Collection(RtspIntegrationGroup.Name)]
public class RtspServerKeyframeRequestTests(RtspClipFixture clips)
{
    [Fact]
    public async Task A_pli_over_interleaved_rtcp_requests_a_keyframe_once_per_second_at_most()
    {
        await using var harness = RtspTestHarness.Start(clips.Gop30);
        var requests = 0;
        harness.Hub.KeyframeRequested += () => Interlocked.Increment(ref requests);
        using var client = new RawRtspClient(harness.Port);
        var setup = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        var ssrc = RtspServerRtcpTests.ParseSsrc(setup["Transport"]!);
        var session = setup["Session"]!.Split(';')[0];
        Assert.Equal(200, (await client.RequestAsync("PLAY", harness.Url, "Session: " + session)).Status);
        await client.ReadInterleavedAsync();

        // Joining may itself ask for a keyframe (no cached GOP yet): count from here.
        await Task.Delay(200);
        var before = Volatile.Read(ref requests);

        await SendAsync(client, RtcpTestPackets.PictureLossCompound(0x77, ssrc + 1));
        await SendAsync(client, RtcpTestPackets.PictureLossCompound(0x77, ssrc));
        await SendAsync(client, RtcpTestPackets.PictureLossCompound(0x77, ssrc));
        await SendAsync(client, RtcpTestPackets.PictureLossCompound(0x77, ssrc));
        await WaitUntilAsync(() => Volatile.Read(ref requests) > before);
        await Task.Delay(300);
        Assert.Equal(before + 1, Volatile.Read(ref requests));

        // A second later the next request goes through again.
        await Task.Delay(RtspSessionRtcp.KeyframeRequestInterval);
        await SendAsync(client, RtcpTestPackets.PictureLossCompound(0x77, ssrc));
        await WaitUntilAsync(() => Volatile.Read(ref requests) > before + 1);
        Assert.Equal(before + 2, Volatile.Read(ref requests));
    }

    private static Task SendAsync(RawRtspClient client, byte[] rtcp) =>
        client.SendRawAsync([0x24, 1, (byte)(rtcp.Length >> 8), (byte)rtcp.Length, .. rtcp]);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(30);
        }

        Assert.True(condition(), "no keyframe request reached the hub within 3 s");
    }
}
