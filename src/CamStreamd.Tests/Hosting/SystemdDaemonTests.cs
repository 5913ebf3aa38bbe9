using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using CamStreamd.Tests.EndToEnd;

namespace CamStreamd.Tests.Hosting;

/// <summary>
/// The real daemon as systemd runs it: NOTIFY_SOCKET and WATCHDOG_USEC set, reloaded with SIGHUP
/// while an ffmpeg client watches, stopped with SIGTERM while a client is connected.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class SystemdDaemonTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(30);
    private const int Fps = 25;

    [Fact]
    public async Task Notifies_ready_after_the_listeners_then_feeds_the_watchdog_and_says_stopping()
    {
        using var notify = new NotifyListener(@abstract: false);
        await using var daemon = await DaemonProcess.StartAsync(Config("cam0"), environment: new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = notify.SocketName,
            ["WATCHDOG_USEC"] = "2000000",
        });

        var ready = (await notify.ReceiveUntilAsync("READY=1", Wait)).Last();

        // READY=1 comes after the RTSP listener is bound and the stream delivers frames.
        using (var client = new TcpClient())
        {
            await client.ConnectAsync("127.0.0.1", daemon.RtspPort);
        }

        Assert.Contains("STATUS=1 stream(s): cam0 running", ready, StringComparison.Ordinal);
        var watchdog = (await notify.ReceiveUntilAsync("WATCHDOG=1", TimeSpan.FromSeconds(5))).Last();
        Assert.Contains("STATUS=", watchdog, StringComparison.Ordinal);

        Assert.Equal(0, await daemon.StopAsync(Wait));
        await notify.ReceiveUntilAsync("STOPPING=1", TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Reload_adds_a_stream_while_a_client_of_another_keeps_receiving_and_an_invalid_config_changes_nothing()
    {
        using var notify = new NotifyListener(@abstract: true);
        await using var daemon = await DaemonProcess.StartAsync(Config("cam0"), environment: new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.SocketName });
        await notify.ReceiveUntilAsync("READY=1", Wait);
        const int Seconds = 7;
        var watcher = Read(daemon.Url("cam0"), Seconds);
        await daemon.WaitForOutputAsync("playing cam0", Wait);
        await Task.Delay(TimeSpan.FromSeconds(1));

        // Valid reload: cam0 unchanged, cam1 added.
        await File.WriteAllTextAsync(daemon.ConfigPath, Config("cam0", "cam1"));
        daemon.Signal("HUP");
        await daemon.WaitForOutputAsync("reload applied: added cam1; removed -; restarted -; unchanged cam0", Wait);
        var reload = await notify.ReceiveUntilAsync("READY=1", Wait);
        var reloading = reload.Single(m => m.StartsWith("RELOADING=1\n", StringComparison.Ordinal));
        Assert.Matches(@"^RELOADING=1\nMONOTONIC_USEC=\d+\n", reloading);
        Assert.StartsWith("READY=1\nSTATUS=reloaded; 2 stream(s): cam0 running", reload[^1], StringComparison.Ordinal);
        var added = await Probe(daemon.Url("cam1"));
        Assert.True(added.ExitCode == 0, $"ffprobe cam1: {added.StandardError}\n{daemon.Output}");
        Assert.Contains("codec_name=h264", added.StandardOutput, StringComparison.Ordinal);

        // Invalid reload: rejected, both streams keep running.
        await File.WriteAllTextAsync(daemon.ConfigPath, """{ "streams": [ { "name": "cam0", "source": { "type": "testPattern" }, "bogus": 1 } ] }""");
        daemon.Signal("HUP");
        await daemon.WaitForOutputAsync("reload rejected: 1 error(s)", Wait);
        Assert.Contains("reload: config error: streams[0].bogus: unknown key", daemon.Output, StringComparison.Ordinal);
        var rejected = await notify.ReceiveUntilAsync("READY=1", Wait);
        Assert.Contains("STATUS=reload rejected", rejected[^1], StringComparison.Ordinal);
        var kept = await Probe(daemon.Url("cam1"));
        Assert.True(kept.ExitCode == 0, $"ffprobe cam1 after the rejected reload: {kept.StandardError}\n{daemon.Output}");

        // The cam0 client never noticed: all of its seconds arrived in one session.
        var result = await watcher;
        Assert.True(result.ExitCode == 0, $"cam0 client: {result.StandardError}\n{daemon.Output}");
        var frames = FfmpegProgress.DecodedFrames(result);

        // A torn-down session would end the client early; 0.8 leaves room for frames the source skips on a loaded machine.
        Assert.True(frames >= Seconds * Fps * 0.8, $"cam0 client got {frames} frames in {Seconds} s at {Fps} fps\n{result.StandardError}\n{daemon.Output}");
        var session = System.Text.RegularExpressions.Regex.Match(daemon.Output, @"RTSP session (\S+) playing cam0").Groups[1].Value;
        var beforeClientEnd = daemon.Output[..daemon.Output.IndexOf("reload rejected", StringComparison.Ordinal)];
        Assert.DoesNotContain($"RTSP session {session} ended", beforeClientEnd, StringComparison.Ordinal);
        Assert.Equal(0, await daemon.StopAsync(Wait));
    }

    [Fact]
    public async Task Sigterm_with_a_client_connected_stops_within_5_seconds()
    {
        await using var daemon = await DaemonProcess.StartAsync(Config("cam0"));
        var watcher = Read(daemon.Url("cam0"), seconds: 30);
        await daemon.WaitForOutputAsync("playing cam0", Wait);
        await Task.Delay(TimeSpan.FromSeconds(1));

        var stopwatch = Stopwatch.StartNew();
        var code = await daemon.StopAsync(Wait);
        var stopTime = stopwatch.Elapsed;
        var client = await watcher;

        Console.WriteLine($"SIGTERM to exit with one RTSP client: {stopTime.TotalMilliseconds:0} ms");
        Assert.Equal(0, code);
        Assert.True(stopTime < TimeSpan.FromSeconds(5), $"stop took {stopTime}\n{daemon.Output}");
        Assert.False(client.TimedOut, "the client was not disconnected");
        Assert.Matches(@"RTSP session \S+ ended", daemon.Output);
        Assert.Contains("camstreamd stopped", daemon.Output, StringComparison.Ordinal);
    }

    private static string Config(params string[] names) => $$"""
        {
          "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
          "http": { "listenAddress": "127.0.0.1", "port": 0 },
          "streams": [
            {{string.Join(",\n", names.Select(name => $$"""
            { "name": "{{name}}",
              "source": { "type": "testPattern", "width": 320, "height": 180, "fps": {{Fps}} },
              "encoder": { "engine": "x264", "bitrate": 500000, "gop": {{Fps}}, "profile": "main" } }
            """))}}
          ]
        }
        """;

    private static Task<PeerProcess.Result> Read(string url, int seconds) => PeerProcess.RunAsync(
        "ffmpeg",
        ["-nostdin", "-v", "error", .. FfmpegProgress.Arguments, "-rtsp_transport", "tcp", "-i", url,
         "-t", seconds.ToString(CultureInfo.InvariantCulture), "-c", "copy", "-f", "null", "-"],
        PeerTimeout + TimeSpan.FromSeconds(seconds),
        "ffmpeg");

    private static Task<PeerProcess.Result> Probe(string url) => PeerProcess.RunAsync(
        "ffprobe",
        ["-v", "error", "-rtsp_transport", "tcp", "-show_streams", url],
        PeerTimeout,
        "ffmpeg");
}
