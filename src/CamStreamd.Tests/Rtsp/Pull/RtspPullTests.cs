using System.Diagnostics;
using System.Globalization;
using System.Text;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Rtsp.Pull;

/// <summary>
/// The RTSP pull source against real upstreams (<see cref="PullFixture"/>): gst-rtsp-server over
/// TCP and UDP and with Digest auth, a second camstreamd behind Basic auth (a chain of two), and
/// a redirect (302) in front of gst-rtsp-server.
/// An ffmpeg client of the relay decodes 150 pictures of each; the relay's API reports the
/// upstream session; a wrong password leaves the stream on its placeholder with the 401 as reason.
/// </summary>
[Collection(PullGroup.Name)]
public sealed class RtspPullTests
{
    private const int Frames = 150;
    private readonly PullFixture _fixture;
    private readonly ITestOutputHelper _output;

    public RtspPullTests(PullFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Theory]
    [InlineData("tcp", "tcp", "tcp")]
    [InlineData("udp", "udp", "udp")]
    [InlineData("digest", "tcp", "tcp")]
    [InlineData("chain", "tcp", "udp")]
    [InlineData("redirect", "tcp", "tcp")]
    public async Task An_ffmpeg_client_of_the_relay_decodes_150_pictures(string stream, string upstreamTransport, string clientTransport)
    {
        var stopwatch = Stopwatch.StartNew();
        var result = await PeerProcess.RunAsync(
            "ffmpeg",
            ["-nostdin", "-hide_banner", "-v", "error", "-rtsp_transport", clientTransport, "-i", _fixture.Relay.Url(stream),
             "-frames:v", Frames.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p", "-f", "framemd5", "-"],
            TimeSpan.FromSeconds(30),
            "ffmpeg");
        _output.WriteLine($"{stream}: ffmpeg ran {stopwatch.Elapsed.TotalSeconds:F1} s");
        var diagnostics = $"{stream}: exit {result.ExitCode}, timed out {result.TimedOut}\nstderr:\n{result.StandardError}\nrelay:\n{_fixture.RelayLogTail}";
        Assert.True(result.ExitCode == 0 && !result.TimedOut, diagnostics);
        Assert.Equal(string.Empty, result.StandardError.Trim());

        // framemd5: "#stream#, dts, pts, duration, size, hash", one line per decoded picture.
        var frames = result.StandardOutput.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(',')).ToList();
        Assert.Equal(Frames, frames.Count);
        var size = (PullFixture.Width * PullFixture.Height * 3 / 2).ToString(CultureInfo.InvariantCulture);
        Assert.All(frames, f => Assert.Equal(size, f[4].Trim()));

        // Decoded pictures differ (the upstream's moving ball), so they are relayed video, not one repeated picture.
        Assert.True(frames.Select(f => f[5].Trim()).Distinct().Count() > Frames / 2, "the relayed pictures do not change");

        var info = await _fixture.StreamAsync(stream);
        var upstream = info.GetProperty("upstream");
        _output.WriteLine($"{stream}: {upstream}");
        Assert.Equal("running", info.GetProperty("state").GetString());
        Assert.Equal("passthrough", info.GetProperty("encoder").GetProperty("engine").GetString());
        Assert.Equal("playing", upstream.GetProperty("state").GetString());
        Assert.Equal(upstreamTransport, upstream.GetProperty("transport").GetString());
        Assert.Equal(_fixture.FailuresAtStart[stream], upstream.GetProperty("failures").GetInt64());
        Assert.True(upstream.GetProperty("packetsReceived").GetInt64() > Frames);
        Assert.True(upstream.GetProperty("receiverReports").GetInt64() >= 1);
        if (stream == "redirect")
        {
            Assert.True(_fixture.Redirector.Redirects >= 1);
            Assert.Contains($"Stream redirect: {_fixture.Redirector.Url} redirects to {_fixture.Open.Url}", _fixture.Relay.Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Digest_keepalives_hold_a_session_whose_timeout_is_4_seconds()
    {
        // The gst server gives Digest sessions a 4 s timeout: GET_PARAMETER (listed in its Public) every 2 s keeps it.
        await _fixture.WaitUntilAsync(
            async () => (await _fixture.StreamAsync("digest")).GetProperty("upstream").GetProperty("keepalives").GetInt64() >= 3,
            "three keepalives",
            TimeSpan.FromSeconds(15));
        var upstream = (await _fixture.StreamAsync("digest")).GetProperty("upstream");
        Assert.Equal(1, upstream.GetProperty("sessions").GetInt64());
        Assert.Equal(_fixture.FailuresAtStart["digest"], upstream.GetProperty("failures").GetInt64());
        Assert.Contains("keepalive GET_PARAMETER", _fixture.Relay.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_the_stream_shows_its_placeholder()
    {
        await _fixture.WaitUntilAsync(
            async () => (await _fixture.StreamAsync("digestWrong")).GetProperty("upstream").GetProperty("failures").GetInt64() >= 1,
            "the refused attempt",
            TimeSpan.FromSeconds(15));
        var info = await _fixture.StreamAsync("digestWrong");
        var upstream = info.GetProperty("upstream");
        Assert.Equal(0, upstream.GetProperty("sessions").GetInt64());
        Assert.Contains("401", upstream.GetProperty("lastError").GetString(), StringComparison.Ordinal);
        Assert.Contains(upstream.GetProperty("state").GetString(), (string[])["retrying", "connecting"]);
        await _fixture.WaitUntilAsync(async () => (await _fixture.StreamAsync("digestWrong")).GetProperty("state").GetString() == "noSignal", "NO SIGNAL", TimeSpan.FromSeconds(10));

        // The password never reaches the log or the API.
        Assert.DoesNotContain("wrong", upstream.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(PullFixture.DigestPassword, _fixture.Relay.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_report_each_pulled_streams_upstream()
    {
        var text = await _fixture.Api.GetStringAsync("/metrics");
        Assert.Contains("camstreamd_upstream_state{stream=\"tcp\",state=\"playing\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("camstreamd_upstream_connect_attempts_total{stream=\"udp\"}", text, StringComparison.Ordinal);
        var lost = text.Split('\n').Single(l => l.StartsWith("camstreamd_upstream_packets_total{stream=\"tcp\"}", StringComparison.Ordinal));
        Assert.True(double.Parse(lost.Split(' ')[1], CultureInfo.InvariantCulture) > 0, lost);
    }
}
