using System.Diagnostics;
using System.Globalization;
using System.Net;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Rtsp.Pull;

/// <summary>
/// A relay that joins an upstream with a long GOP does not wait for its next IDR: while the
/// depacketizer waits for one it sends an RTCP picture loss indication (RFC 4585), and
/// gst-rtsp-server's rtpbin turns that into a force-key-unit for its encoder. The upstream here
/// sends an IDR every 10 s; without the PLI the relay's first picture comes up to 10 s after PLAY.
/// </summary>
[Collection(PullGroup.Name)]
public sealed class RtspPullKeyframeRequestTests(PullFixture fixture, ITestOutputHelper output)
{
    private const int LongGop = 300;

    [Fact]
    public async Task Joining_an_upstream_with_a_10_s_gop_gets_its_first_picture_within_3_s_by_asking_for_an_idr()
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
        }
        finally
        {
            using var deleted = await fixture.Api.DeleteAsync("/api/streams/longGop");
        }
    }

    private static string? State(System.Text.Json.JsonElement stream) => stream.GetProperty("upstream").GetProperty("state").GetString();
}
