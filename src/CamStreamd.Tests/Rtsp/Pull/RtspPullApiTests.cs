using System.Globalization;
using System.Net;

namespace CamStreamd.Tests.Rtsp.Pull;

/// <summary>
/// <c>POST /api/streams</c> adds a pulled stream at runtime (here from the upstream camstreamd over
/// UDP, Basic credentials in the config keys): it plays, ffmpeg decodes it, and <c>DELETE</c> ends
/// its upstream session with a TEARDOWN (the upstream logs why its session ended).
/// </summary>
[Collection(PullGroup.Name)]
public sealed class RtspPullApiTests(PullFixture fixture)
{
    [Fact]
    public async Task A_pulled_stream_added_through_the_api_plays_and_is_removed()
    {
        var credentials = $"\"username\": \"{PullFixture.BasicUser}\", \"password\": \"{PullFixture.BasicPassword}\",";
        var body = PullFixture.Pulled("added", fixture.Upstream.Url("cam0"), "udp", credentials);
        var teardownsBefore = CountTeardowns();
        using (var response = await fixture.Api.PostAsync("/api/streams", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        await fixture.WaitUntilAsync(async () => (await fixture.StreamAsync("added")).GetProperty("upstream").GetProperty("state").GetString() == "playing", "added playing", TimeSpan.FromSeconds(15));
        var result = await PeerProcess.RunAsync(
            "ffmpeg",
            ["-nostdin", "-hide_banner", "-v", "error", "-rtsp_transport", "tcp", "-i", fixture.Relay.Url("added"), "-frames:v", "60", "-f", "framemd5", "-"],
            TimeSpan.FromSeconds(20),
            "ffmpeg");
        Assert.True(result.ExitCode == 0 && !result.TimedOut, result.StandardError);
        var size = (PullFixture.Width * PullFixture.Height * 3 / 2).ToString(CultureInfo.InvariantCulture);
        var frames = result.StandardOutput.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Equal(60, frames.Count);
        Assert.All(frames, f => Assert.Equal(size, f.Split(',')[4].Trim()));
        var info = await fixture.StreamAsync("added");
        Assert.Equal("rtsp", info.GetProperty("source").GetProperty("type").GetString());
        Assert.Equal("udp", info.GetProperty("upstream").GetProperty("transport").GetString());

        using (var response = await fixture.Api.DeleteAsync("/api/streams/added"))
        {
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        using (var gone = await fixture.Api.GetAsync("/api/streams/added"))
        {
            Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        }

        await fixture.WaitUntilAsync(() => Task.FromResult(CountTeardowns() > teardownsBefore), "the upstream's session to end with TEARDOWN", TimeSpan.FromSeconds(10));
    }

    private int CountTeardowns() => fixture.Upstream.Output.Split('\n').Count(l => l.Contains("ended (TEARDOWN)", StringComparison.Ordinal));

    [Fact]
    public async Task A_pulled_stream_that_would_re_encode_is_refused_naming_the_key()
    {
        var body = PullFixture.Pulled("reencode", fixture.Open.Url, "tcp").Replace("\"engine\": \"auto\"", "\"engine\": \"x264\"", StringComparison.Ordinal);
        using var response = await fixture.Api.PostAsync("/api/streams", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is 400 or 422, $"{(int)response.StatusCode} {text}");
        Assert.Contains("encoder.engine", text, StringComparison.Ordinal);
        Assert.Contains("without re-encoding", text, StringComparison.Ordinal);
    }
}
