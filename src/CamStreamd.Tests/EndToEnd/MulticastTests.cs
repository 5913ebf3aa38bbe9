using System.Globalization;
using System.Text.RegularExpressions;

namespace CamStreamd.Tests.EndToEnd;

/// <summary>
/// Multicast end to end, entirely inside a network namespace the test makes (TESTING.md): the
/// real daemon and two real clients at once — ffmpeg (<c>udp_multicast</c>) and GStreamer
/// rtspsrc (<c>udp-mcast</c>) — each decode 150 frames of 640x360 from the stream's group, and
/// the daemon sends the stream once (one sender start for both viewers, stopped after the last leaves).
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed partial class MulticastTests : IAsyncLifetime
{
    private const int Frames = 150;
    private const string GstLaunch = "/usr/bin/gst-launch-1.0";
    private const string GstPackages = "gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav";
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(40);

    private NetworkNamespace _namespace = null!;
    private DaemonProcess _daemon = null!;

    public async Task InitializeAsync()
    {
        _namespace = NetworkNamespace.Create();
        _daemon = await DaemonProcess.StartAsync("""
            {
              "rtsp": { "listenAddress": "127.0.0.1", "port": 0,
                        "multicast": { "enabled": true, "addressRange": "239.255.42.0/24", "ttl": 1 } },
              "streams": [
                { "name": "cam0",
                  "source": { "type": "testPattern", "width": 640, "height": 360, "fps": 30 },
                  "encoder": { "engine": "x264", "bitrate": 1500000, "gop": 30, "profile": "main" } }
              ]
            }
            """, networkNamespace: _namespace.Name);
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.DisposeAsync();
        }

        _namespace?.Dispose();
    }

    [Fact]
    public async Task Two_ffmpeg_clients_share_one_multicast_stream_then_gstreamer_restarts_it()
    {
        Assert.True(File.Exists(GstLaunch), $"{GstLaunch} is missing: install the Debian packages {GstPackages}");

        // Two viewers at once. (Not ffmpeg together with GStreamer: rtspsrc takes its own RTCP,
        // looped back by the group, for an SSRC collision and sends an RTCP BYE to the group, and
        // libavformat ends its stream on any BYE, whoever sent it.)
        var results = await Task.WhenAll(FfmpegAsync(), FfmpegAsync());
        foreach (var ffmpeg in results)
        {
            var frames = ShowinfoFrame().Count(ffmpeg.StandardError);
            var diagnostics = $"ffmpeg exit {ffmpeg.ExitCode}, timed out {ffmpeg.TimedOut}, {frames} frames of 640x360\n{Tail(ffmpeg.StandardError)}\ndaemon:\n{Tail(_daemon.Output)}";
            Assert.False(ffmpeg.TimedOut, diagnostics);
            Assert.True(ffmpeg.ExitCode == 0, diagnostics);
            Assert.True(frames >= Frames, diagnostics);
        }

        // Sent once: one sender start for both viewers, both joined at the same time, and the sender
        // stops when the last viewer leaves (TEARDOWN).
        await WaitForLogAsync(SenderStopped(), 1);
        var log = _daemon.Output;
        Assert.Single(SenderStarted().Matches(log));
        Assert.Matches(@"viewer joined 239\.255\.42\.\d+:5004 of stream cam0 \(2 viewers\)", log);
        Assert.Matches(@"viewer left 239\.255\.42\.\d+:5004 of stream cam0 \(0 viewers\)", log);

        // A new viewer later starts the sender again, on the same group.
        var gst = await PeerProcess.RunAsync("ip",
            _namespace.Exec("env", "GST_DEBUG=1", "GST_DEBUG_NO_COLOR=1", GstLaunch, "-v",
                "rtspsrc", $"location={_daemon.Url("cam0")}", "protocols=udp-mcast", "latency=0",
                "!", "rtph264depay", "!", "h264parse", "!", "avdec_h264",
                "!", "fakesink", "silent=false", $"num-buffers={Frames.ToString(CultureInfo.InvariantCulture)}"),
            ProcessTimeout, GstPackages);
        var gstDiagnostics = $"gst exit {gst.ExitCode}, timed out {gst.TimedOut}\n{gst.StandardError}\n{Tail(gst.StandardOutput)}\ndaemon:\n{Tail(_daemon.Output)}";
        Assert.False(gst.TimedOut, gstDiagnostics);
        Assert.True(gst.ExitCode == 0, gstDiagnostics);
        Assert.True(GstChain().Count(gst.StandardOutput) >= Frames, gstDiagnostics);
        var caps = GstDecoderCaps().Match(gst.StandardOutput);
        Assert.True(caps.Success, gstDiagnostics);
        Assert.Equal("640x360", $"{caps.Groups["w"].Value}x{caps.Groups["h"].Value}");

        await WaitForLogAsync(SenderStopped(), 2);
        var groups = SenderStarted().Matches(_daemon.Output).Select(m => m.Groups["group"].Value).ToList();
        Assert.Equal(2, groups.Count);
        Assert.Equal(groups[0], groups[1]);
    }

    private Task<PeerProcess.Result> FfmpegAsync() =>
        PeerProcess.RunAsync("ip",
            _namespace.Exec("ffmpeg", "-hide_banner", "-nostats", "-v", "info", "-rtsp_transport", "udp_multicast", "-i", _daemon.Url("cam0"),
                "-vf", "showinfo", "-frames:v", Frames.ToString(CultureInfo.InvariantCulture), "-f", "null", "-"),
            ProcessTimeout, "ffmpeg");

    private async Task WaitForLogAsync(Regex pattern, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (pattern.Count(_daemon.Output) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : text[^3000..];

    [GeneratedRegex(@"\] n: *\d+ .* s:640x360 ")]
    private static partial Regex ShowinfoFrame();

    [GeneratedRegex(@"GstFakeSink:fakesink0: last-message = chain ")]
    private static partial Regex GstChain();

    [GeneratedRegex(@"avdec_h264-0\.GstPad:src: caps = video/x-raw,.*?width=\(int\)(?<w>\d+), height=\(int\)(?<h>\d+)")]
    private static partial Regex GstDecoderCaps();

    [GeneratedRegex(@"stream cam0 sending to (?<group>239\.255\.42\.\d+:\d+) \(ttl 1\)")]
    private static partial Regex SenderStarted();

    [GeneratedRegex(@"stream cam0 stopped sending to 239\.255\.42\.\d+:\d+")]
    private static partial Regex SenderStopped();
}
