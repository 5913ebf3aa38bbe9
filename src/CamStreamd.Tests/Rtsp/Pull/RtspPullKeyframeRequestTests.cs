using System.Diagnostics;
using System.Globalization;
using System.Net;
using CamStreamd.Tests.Rtp;
using CamStreamd.Tests.Rtsp.TestSupport;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Rtsp.Pull;

/// <summary>
/// A relay that joins an upstream with a long GOP does not wait for its next IDR: while the
/// depacketizer waits for one it sends an RTCP picture loss indication (RFC 4585), and
/// gst-rtsp-server's rtpbin turns that into a force-key-unit for its encoder. The upstream here
/// sends an IDR every 10 s; without the PLI the relay's first picture comes up to 10 s after PLAY.
/// A viewer's PLI to the relay is passed upstream the same way (the relay cannot make an IDR itself).
/// </summary>
[Collection(PullGroup.Name)]
public sealed class RtspPullKeyframeRequestTests(PullFixture fixture, ITestOutputHelper output)
{
    private const int LongGop = 300;

    [Fact]
    public async Task Joining_an_upstream_with_a_10_s_gop_gets_its_first_picture_within_3_s_and_a_viewers_pli_gets_a_new_idr_by_asking_upstream()
    {
        await using var upstream = await GstRtspServerProcess.StartAsync(gop: LongGop, protocols: "tcp");
        var body = PullFixture.Pulled("longGop", upstream.Url, "tcp");
        using (var response = await fixture.Api.PostAsync("/api/streams", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        try
        {
            await fixture.WaitUntilAsync(async () => State(await fixture.StreamAsync("longGop")) == "playing", "longGop playing", TimeSpan.FromSeconds(20));
            var playing = Stopwatch.StartNew();

            // accessUnits counts units handed on, which start at the first IDR (the ones before it are dropped).
            await fixture.WaitUntilAsync(
                async () => (await fixture.StreamAsync("longGop")).GetProperty("upstream").GetProperty("accessUnits").GetInt64() > 0,
                "the first relayed IDR",
                TimeSpan.FromSeconds(15));
            var firstPicture = playing.Elapsed;
            var info = (await fixture.StreamAsync("longGop")).GetProperty("upstream");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"first relayed IDR {firstPicture.TotalSeconds:F2} s after PLAY (upstream GOP {LongGop / 30} s)\n{info}"));

            Assert.True(info.GetProperty("keyframeRequests").GetInt64() >= 1, info.ToString());
            Assert.True(firstPicture < TimeSpan.FromSeconds(3), $"the first IDR came {firstPicture.TotalSeconds:F2} s after PLAY\n{info}\nupstream:\n{upstream.Output}");
            Assert.Equal(1, info.GetProperty("sessions").GetInt64());

            var metrics = await fixture.Api.GetStringAsync("/metrics");
            Assert.Contains("camstreamd_upstream_keyframe_requests_total{stream=\"longGop\"}", metrics, StringComparison.Ordinal);

            await AViewersPliReachesTheUpstreamAsync();
        }
        finally
        {
            using var deleted = await fixture.Api.DeleteAsync("/api/streams/longGop");
        }
    }

    /// <summary>
    /// A raw RTSP viewer of the relay starts on the cached IDR, then sends a PLI about the relay's
    /// SSRC: the relay sends a PLI upstream, and a new IDR reaches the viewer long before the
    /// upstream's 10 s GOP would bring one.
    /// </summary>
    private async Task AViewersPliReachesTheUpstreamAsync()
    {
        var relayUrl = fixture.Relay.Url("longGop");
        using var viewer = new RawRtspClient(new Uri(relayUrl).Port);
        var setup = await viewer.RequestAsync("SETUP", relayUrl + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        Assert.Equal(200, setup.Status);
        var ssrc = RtspServerRtcpTests.ParseSsrc(setup["Transport"]!);
        Assert.Equal(200, (await viewer.RequestAsync("PLAY", relayUrl, "Session: " + setup["Session"]!.Split(';')[0])).Status);
        await ReadUntilIdrAsync(viewer, TimeSpan.FromSeconds(5), "the cached IDR");
        var requestsBefore = (await fixture.StreamAsync("longGop")).GetProperty("upstream").GetProperty("keyframeRequests").GetInt64();

        // Let the cached GOP's packets pass, then ask.
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed < TimeSpan.FromMilliseconds(300))
        {
            await viewer.ReadInterleavedAsync();
        }

        var rtcp = RtcpTestPackets.PictureLossCompound(0x77, ssrc);
        await viewer.SendRawAsync([0x24, 1, (byte)(rtcp.Length >> 8), (byte)rtcp.Length, .. rtcp]);
        var asked = Stopwatch.StartNew();
        await ReadUntilIdrAsync(viewer, TimeSpan.FromSeconds(4), "an IDR after the viewer's PLI");
        var answered = asked.Elapsed;
        var upstream = (await fixture.StreamAsync("longGop")).GetProperty("upstream");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"viewer's PLI answered with an IDR after {answered.TotalSeconds:F2} s\n{upstream}"));
        Assert.True(upstream.GetProperty("keyframeRequests").GetInt64() > requestsBefore, upstream.ToString());
        Assert.True(answered < TimeSpan.FromSeconds(2), $"the IDR came {answered.TotalSeconds:F2} s after the viewer's PLI");
    }

    /// <summary>Reads interleaved RTP until a packet that starts an IDR (or its SPS, which the relay puts before every IDR).</summary>
    private static async Task ReadUntilIdrAsync(RawRtspClient viewer, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Assert.True(clock.Elapsed < timeout, $"{what} did not come within {timeout.TotalSeconds} s");
            var (channel, data) = await viewer.ReadInterleavedAsync();
            if (channel == 0 && data.Length > 14 && StartsIdr(data.AsSpan(12)))
            {
                return;
            }
        }
    }

    /// <summary>RFC 6184 payloads: a single NAL (type 5 or 7), a STAP-A (24) whose first NAL is one, or the start of an FU-A (28) of one.</summary>
    private static bool StartsIdr(ReadOnlySpan<byte> payload)
    {
        var type = payload[0] & 0x1F;
        return type switch
        {
            5 or 7 => true,
            24 => payload.Length > 3 && (payload[3] & 0x1F) is 5 or 7,
            28 => (payload[1] & 0x80) != 0 && (payload[1] & 0x1F) == 5,
            _ => false,
        };
    }

    private static string? State(System.Text.Json.JsonElement stream) => stream.GetProperty("upstream").GetProperty("state").GetString();
}
