using System.Globalization;
using System.Net.Sockets;

namespace CamStreamd.Tests.EndToEnd;

/// <summary>
/// The whole slice, as a user meets it: the daemon process (test pattern → libx264 → RTSP) on a
/// free port, watched by the real ffmpeg and ffprobe over TCP and UDP.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class DaemonStreamingTests : RunningDaemonTest
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task Ffprobe_reports_one_h264_stream_of_the_configured_size(string transport)
    {
        var result = await PeerProcess.RunAsync(
            "ffprobe",
            ["-v", "error", "-rtsp_transport", transport, "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", Daemon.Url("cam0")],
            PeerTimeout);

        Assert.True(result.ExitCode == 0, result.StandardError + Daemon.Output);
        Assert.Equal("h264,640,360", result.StandardOutput.Trim());
    }

    // Decoding over each transport (and authentication) is the interop matrix: Rtsp/Interop/FfmpegInteropTests.

    [Fact]
    public async Task Two_clients_at_once_both_decode()
    {
        var tcp = Decode("tcp", frames: 90);
        var udp = Decode("udp", frames: 90);
        var results = await Task.WhenAll(tcp, udp);

        foreach (var result in results)
        {
            Assert.True(result.ExitCode == 0, result.StandardError);
            Assert.Equal(90, FfmpegProgress.DecodedFrames(result));
        }
    }

    [Fact]
    public async Task Garbage_on_the_rtsp_port_gets_400_and_the_next_client_is_served()
    {
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", Daemon.RtspPort);
            var stream = client.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes("\u0001\u0002 NOT RTSP AT ALL\r\n\r\n"));
            var buffer = new byte[1024];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var read = await stream.ReadAsync(buffer, cts.Token);
            var reply = System.Text.Encoding.ASCII.GetString(buffer, 0, read);
            Assert.True(read == 0 || reply.StartsWith("RTSP/1.0 400", StringComparison.Ordinal), reply);
        }

        var result = await Decode("tcp", frames: 30);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(30, FfmpegProgress.DecodedFrames(result));
    }

    [Fact]
    public async Task Unknown_stream_is_404()
    {
        var result = await PeerProcess.RunAsync("ffprobe", ["-v", "error", "-rtsp_transport", "tcp", Daemon.Url("nosuchstream")], PeerTimeout);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("404", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_stops_theDaemon_with_exit_code_0()
    {
        var exitCode = await Daemon.StopAsync(TimeSpan.FromSeconds(10));
        Assert.True(exitCode == 0, Daemon.Output);
    }

    private Task<PeerProcess.Result> Decode(string transport, int frames) => PeerProcess.RunAsync(
        "ffmpeg",
        ["-nostdin", "-v", "error", .. FfmpegProgress.Arguments, "-rtsp_transport", transport, "-i", Daemon.Url("cam0"),
         "-frames:v", frames.ToString(CultureInfo.InvariantCulture), "-f", "null", "-"],
        PeerTimeout);
}
