using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CamStreamd.Tests.Rtsp.Pull;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Publish;

/// <summary>
/// The RTSP publisher against real servers: gst-rtsp-server in RECORD mode over TCP, over UDP and
/// behind Digest (what it recorded decoded by ffprobe and ffmpeg), ffmpeg as a one-publisher
/// listener (<c>-rtsp_flags listen</c>), a refused password, and an upstream killed for 5 s:
/// publishing resumes within 5 s of its return while an RTSP viewer of the same stream never
/// notices.
/// </summary>
[Collection(PublishGroup.Name)]
public sealed class RtspPublishTests
{
    private readonly PublishFixture _fixture;
    private readonly ITestOutputHelper _output;

    public RtspPublishTests(PublishFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Theory]
    [InlineData("tcp", "tcp")]
    [InlineData("udp", "udp")]
    [InlineData("digest", "tcp")]
    public async Task Gst_rtsp_server_in_record_mode_records_what_we_publish(string stream, string transport)
    {
        var server = stream switch { "tcp" => _fixture.Open, "udp" => _fixture.Udp, _ => _fixture.Digest };
        await _fixture.WaitUntilAsync(async () => (await _fixture.TargetAsync(stream)).GetProperty("framesSent").GetInt64() >= 150, $"{stream}: 150 frames published", TimeSpan.FromSeconds(60));
        var target = await _fixture.TargetAsync(stream);
        _output.WriteLine(target.ToString());
        Assert.Equal("publishing", target.GetProperty("state").GetString());
        Assert.Equal("rtsp", target.GetProperty("protocol").GetString());
        Assert.Equal(transport, target.GetProperty("transport").GetString());
        Assert.True(target.GetProperty("bytesSent").GetInt64() > 150 * 100);
        Assert.Equal(0, target.GetProperty("framesDropped").GetInt64());
        Assert.Equal(1, (await _fixture.StreamAsync(stream)).GetProperty("clients").GetProperty("publish").GetInt32());

        Assert.NotEmpty(server.Files);
        var file = server.Files[0];
        var (frames, width, height, _) = await H264Probe.CountAsync(file);
        _output.WriteLine($"{file}: {frames} frames, {width}x{height}");

        // The server writes what it took as it takes it; it lags what we sent by its jitter buffer at most.
        Assert.True(frames >= 120, $"the server recorded {frames} frames of 150 sent\n{_fixture.Report}");
        Assert.Equal((PublishFixture.Width, PublishFixture.Height), (width, height));
        Assert.True(await H264Probe.FirstFrameIsKeyAsync(file), "the recording does not start on an IDR");
        Assert.Equal(string.Empty, await H264Probe.DecodeErrorsAsync(file));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_retried_with_backoff()
    {
        var body = PublishFixture.Stream("wrongPassword", $"{{ \"url\": \"{_fixture.Digest.Url}\", \"username\": \"{PublishFixture.User}\", \"password\": \"wrong\" }}");
        using (var created = await _fixture.Api.PostAsync("/api/streams", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        try
        {
            await _fixture.WaitUntilAsync(async () => (await _fixture.TargetAsync("wrongPassword")).GetProperty("failures").GetInt64() >= 2, "two refused attempts", TimeSpan.FromSeconds(30));
            var target = await _fixture.TargetAsync("wrongPassword");
            _output.WriteLine(target.ToString());
            Assert.Contains("401", target.GetProperty("lastError").GetString(), StringComparison.Ordinal);
            Assert.Equal(0, target.GetProperty("sessions").GetInt64());
            Assert.Equal(0, target.GetProperty("framesSent").GetInt64());
            Assert.Equal("retrying", target.GetProperty("state").GetString());
        }
        finally
        {
            using var deleted = await _fixture.Api.DeleteAsync("/api/streams/wrongPassword");
        }
    }

    [Fact]
    public async Task Ffmpeg_as_an_rtsp_listener_takes_our_stream()
    {
        var port = FreeTcpPort();
        var file = Path.Combine(_fixture.Scratch, "listener.h264");
        var listener = PeerProcess.RunAsync("ffmpeg", ["-nostdin", "-hide_banner", "-v", "error", "-rtsp_flags", "listen", "-timeout", "60", "-i", $"rtsp://127.0.0.1:{port}/live", "-c", "copy", "-frames:v", "90", "-f", "h264", "-y", file], TimeSpan.FromSeconds(90), "ffmpeg");

        // ffmpeg binds at once; a publisher that comes too early is retried after 1 s.
        await Task.Delay(500);
        var body = PublishFixture.Stream("listener", $"{{ \"url\": \"rtsp://127.0.0.1:{port}/live\" }}");
        using (var created = await _fixture.Api.PostAsync("/api/streams", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        try
        {
            var result = await listener;
            Assert.True(result.ExitCode == 0, $"ffmpeg listener: exit {result.ExitCode}\n{result.StandardError}\n{_fixture.Report}");
            var (frames, width, height, _) = await H264Probe.CountAsync(file);
            Assert.Equal(90, frames);
            Assert.Equal((PublishFixture.Width, PublishFixture.Height), (width, height));
            Assert.True(await H264Probe.FirstFrameIsKeyAsync(file));
            Assert.Equal(string.Empty, await H264Probe.DecodeErrorsAsync(file));
        }
        finally
        {
            using var deleted = await _fixture.Api.DeleteAsync("/api/streams/listener");
        }
    }

    [Fact]
    public async Task Publishing_resumes_within_5_s_of_the_upstreams_return_and_the_streams_viewer_never_notices()
    {
        var outage = TimeSpan.FromSeconds(5);
        await using var viewer = LiveFfmpeg.Start(_fixture.Daemon.Url("outage"), "tcp", TimeSpan.FromSeconds(90));
        await viewer.WaitForAsync(f => f.Count >= 30, TimeSpan.FromSeconds(20), "30 pictures of the daemon's own viewer");
        await _fixture.WaitUntilAsync(async () => (await _fixture.TargetAsync("outage")).GetProperty("framesSent").GetInt64() >= 60, "60 frames published", TimeSpan.FromSeconds(60));
        var sessionsBefore = (await _fixture.TargetAsync("outage")).GetProperty("sessions").GetInt64();
        var filesBefore = _fixture.Outage.Files.Count;

        await _fixture.Outage.KillAsync();
        var killedAt = viewer.Now;
        var restart = _fixture.Outage.RestartAsync(DateTimeOffset.UtcNow + outage);
        await restart;
        var backAt = viewer.Now;
        var clock = Stopwatch.StartNew();

        // Resumed: the new server's session file holds data. The server names the file when the
        // media is configured; filesink creates it only on its way to PAUSED, so it may not exist yet.
        var resumed = TimeSpan.Zero;
        while (resumed == TimeSpan.Zero)
        {
            var files = _fixture.Outage.Files;
            if (files.Count > filesBefore && new FileInfo(files[^1]) is { Exists: true, Length: > 0 })
            {
                resumed = clock.Elapsed;
            }

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40), $"publishing did not resume within 40 s of the upstream's return\n{_fixture.Report}");
            await Task.Delay(50);
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
        var target = await _fixture.TargetAsync("outage");
        _output.WriteLine($"upstream killed at {killedAt.TotalSeconds:F2} s, back at {backAt.TotalSeconds:F2} s, publishing again {resumed.TotalSeconds:F2} s later\n{target}");
        Assert.True(resumed <= TimeSpan.FromSeconds(5), $"publishing resumed {resumed.TotalSeconds:F2} s after the upstream returned\n{_fixture.Report}");
        Assert.Equal("publishing", target.GetProperty("state").GetString());
        Assert.Equal(sessionsBefore + 1, target.GetProperty("sessions").GetInt64());
        Assert.True(target.GetProperty("reconnects").GetInt64() >= 1);
        Assert.True(target.GetProperty("failures").GetInt64() >= 2);
        Assert.True(await H264Probe.FirstFrameIsKeyAsync(_fixture.Outage.Files[^1]), "the resumed session does not start on an IDR");

        // The daemon's own viewer: still connected, pictures throughout, never a gap of a second.
        var frames = viewer.Frames.Where(f => f.At > killedAt - TimeSpan.FromSeconds(1)).ToList();
        Assert.True(viewer.Running, "the daemon's viewer ended during the upstream outage:\n" + viewer.Log);
        var longestGap = frames.Zip(frames.Skip(1), (a, b) => b.At - a.At).Max();
        _output.WriteLine($"viewer: {frames.Count} pictures since the kill, longest gap {longestGap.TotalMilliseconds:F0} ms");
        Assert.True(longestGap < TimeSpan.FromSeconds(1), $"the viewer decoded nothing for {longestGap.TotalSeconds:F2} s during the upstream's outage");
        Assert.True(frames.Count >= 25 * (viewer.Now - killedAt).TotalSeconds * 0.8, $"the viewer decoded {frames.Count} pictures in {(viewer.Now - killedAt).TotalSeconds:F1} s");
    }

    private static int FreeTcpPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
