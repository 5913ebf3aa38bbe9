using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Publish;

/// <summary>
/// RTMP and SRT publishing through libavformat, without re-encoding: to nginx with Debian's
/// libnginx-mod-rtmp (the stream read back from nginx by ffmpeg/ffprobe), and to ffmpeg as an SRT
/// listener. Streams are added to the publish fixture's daemon through the API.
/// </summary>
[Collection(PublishGroup.Name)]
public sealed class AvFormatPublishTests
{
    private readonly PublishFixture _fixture;
    private readonly ITestOutputHelper _output;

    public AvFormatPublishTests(PublishFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public async Task Nginx_rtmp_takes_our_stream_and_serves_it_to_ffmpeg()
    {
        await using var nginx = await NginxRtmpProcess.StartAsync(Path.Combine(_fixture.Scratch, "nginx"));
        await AddAsync("rtmp", $"{{ \"url\": \"{nginx.Url("cam")}\" }}");
        try
        {
            await _fixture.WaitUntilAsync(async () => (await _fixture.TargetAsync("rtmp")).GetProperty("framesSent").GetInt64() >= 30, "30 frames published over RTMP", TimeSpan.FromSeconds(60));
            var file = Path.Combine(_fixture.Scratch, "from-nginx.h264");
            var read = await PeerProcess.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-i", nginx.Url("cam"), "-c", "copy", "-frames:v", "90", "-f", "h264", "-y", file], TimeSpan.FromSeconds(60), "ffmpeg");
            Assert.True(read.ExitCode == 0, $"ffmpeg reading from nginx: exit {read.ExitCode}\n{read.StandardError}\n{nginx.Log}");
            var (frames, width, height, _) = await H264Probe.CountAsync(file);
            var target = await _fixture.TargetAsync("rtmp");
            _output.WriteLine($"read back {frames} frames {width}x{height}\n{target}");
            Assert.Equal(90, frames);
            Assert.Equal((PublishFixture.Width, PublishFixture.Height), (width, height));
            Assert.True(await H264Probe.FirstFrameIsKeyAsync(file));
            Assert.Equal(string.Empty, await H264Probe.DecodeErrorsAsync(file));
            Assert.Equal("rtmp", target.GetProperty("protocol").GetString());
            Assert.Equal("publishing", target.GetProperty("state").GetString());
            Assert.Equal(0, target.GetProperty("failures").GetInt64());
        }
        finally
        {
            using var deleted = await _fixture.Api.DeleteAsync("/api/streams/rtmp");
        }
    }

    [Fact]
    public async Task Ffmpeg_as_an_srt_listener_takes_our_stream()
    {
        int port;
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }

        var file = Path.Combine(_fixture.Scratch, "from-srt.h264");
        var listener = PeerProcess.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-i", $"srt://127.0.0.1:{port}?mode=listener", "-c", "copy", "-frames:v", "90", "-f", "h264", "-y", file], TimeSpan.FromSeconds(90), "ffmpeg");
        await Task.Delay(500);
        await AddAsync("srt", $"{{ \"url\": \"srt://127.0.0.1:{port}\" }}");
        try
        {
            var result = await listener;
            Assert.True(result.ExitCode == 0, $"ffmpeg SRT listener: exit {result.ExitCode}\n{result.StandardError}\n{_fixture.Report}");
            var (frames, width, height, _) = await H264Probe.CountAsync(file);
            Assert.Equal(90, frames);
            Assert.Equal((PublishFixture.Width, PublishFixture.Height), (width, height));
            Assert.True(await H264Probe.FirstFrameIsKeyAsync(file));
            Assert.Equal(string.Empty, await H264Probe.DecodeErrorsAsync(file));
        }
        finally
        {
            using var deleted = await _fixture.Api.DeleteAsync("/api/streams/srt");
        }
    }

    private async Task AddAsync(string name, string target)
    {
        using var created = await _fixture.Api.PostAsync("/api/streams", new StringContent(PublishFixture.Stream(name, target), System.Text.Encoding.UTF8, "application/json"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }
}
