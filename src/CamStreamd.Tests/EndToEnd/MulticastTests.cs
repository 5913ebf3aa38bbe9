using System.Globalization;
using System.Text.RegularExpressions;

namespace CamStreamd.Tests.EndToEnd;

/// <summary>
/// Multicast end to end, entirely inside a network namespace the test makes (TESTING.md), beyond
/// what the interop matrix's one-viewer multicast rows show: two ffmpeg viewers (<c>udp_multicast</c>)
/// at once share one sender (started once, stopped after the last leaves), a later viewer restarts
/// it on the same group, and the sender's RTCP goes to the group's RTCP port (RTP port + 1): SR +
/// SDES after the first frame and SR + SDES + BYE when it stops. dumpcap captures the namespace's
/// loopback; tshark must flag nothing in the RTSP, RTP and RTCP of it.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed partial class MulticastTests : IAsyncLifetime
{
    private const int Frames = 90;
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(30);

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
    public async Task Two_viewers_share_one_sender_that_reports_to_the_group_and_a_later_viewer_restarts_it()
    {
        var rtspPort = _daemon.RtspPort.ToString(CultureInfo.InvariantCulture);
        await using var capture = await LoopbackCapture.StartAsync($"tcp port {rtspPort} or (udp and dst net 239.255.42.0/24)", TimeSpan.FromSeconds(40), _namespace.Name);

        // Two viewers at once. (Not ffmpeg together with GStreamer: rtspsrc takes its own RTCP,
        // looped back by the group, for an SSRC collision and sends an RTCP BYE to the group, and
        // libavformat ends its stream on any BYE, whoever sent it.)
        var results = await Task.WhenAll(FfmpegAsync(Frames), FfmpegAsync(Frames));
        foreach (var ffmpeg in results)
        {
            AssertDecoded(ffmpeg, Frames);
        }

        // Sent once: one sender start for both viewers, both joined at the same time, and the sender
        // stops when the last viewer leaves (TEARDOWN).
        await WaitForLogAsync(SenderStopped(), 1);
        var log = _daemon.Output;
        Assert.Single(SenderStarted().Matches(log));
        Assert.Matches(@"viewer joined 239\.255\.42\.\d+:5004 of stream cam0 \(2 viewers\)", log);
        Assert.Matches(@"viewer left 239\.255\.42\.\d+:5004 of stream cam0 \(0 viewers\)", log);

        // A new viewer later starts the sender again, on the same group.
        AssertDecoded(await FfmpegAsync(30), 30);
        await WaitForLogAsync(SenderStopped(), 2);
        var groups = SenderStarted().Matches(_daemon.Output).Select(m => m.Groups["group"].Value).ToList();
        Assert.Equal(2, groups.Count);
        Assert.Equal(groups[0], groups[1]);
        await Task.Delay(300); // the last BYE (sent just before "stopped sending" is logged) reaches dumpcap's file.
        await capture.StopAsync();

        // The group's RTP and RTCP ports are not in a SETUP the RTSP dissector could follow as a
        // unicast conversation: name them.
        var tshark = new TsharkDissection(capture.PcapPath, _daemon.RtspPort, "udp.port==5004,rtp", "udp.port==5005,rtcp");
        var ssrcs = (await tshark.FieldsAsync("rtp.p_type == 96", ["rtp.ssrc"])).Distinct().ToList();
        Assert.True(ssrcs.Count == 1, $"RTP SSRCs on the group: [{string.Join(", ", ssrcs)}]\n{capture.Diagnostics}");

        // Per run of the sender: SR + SDES after its first frame, SR + SDES + BYE when it stopped.
        var reports = (await tshark.FieldsAsync("rtcp.pt == 200 && ip.dst == " + groups[0].Split(':')[0], ["rtcp.senderssrc", "rtcp.sdes.text", "rtcp.pt", "udp.dstport"]))
            .Select(row => row.Split('\t'))
            .Where(r => string.Equals(r[0], ssrcs[0], StringComparison.OrdinalIgnoreCase))
            .ToList();
        var text = string.Join('\n', reports.Select(r => string.Join(" | ", r)));
        Assert.True(reports.Count >= 4, "sender reports from the stream's SSRC to the group:\n" + text);
        Assert.All(reports, r => Assert.Equal("5005", r[3]));
        Assert.All(reports, r => Assert.StartsWith("camstreamd-cam0@239.255.42.", r[1], StringComparison.Ordinal));
        Assert.Equal(2, reports.Count(r => r[2] == "200,202,203"));
        Assert.Equal(reports.Count - 2, reports.Count(r => r[2] == "200,202"));

        var findings = await tshark.UnexplainedFindingsAsync();
        Assert.True(findings.Count == 0, "tshark flagged (multicast):\n" + string.Join('\n', findings));
    }

    private Task<PeerProcess.Result> FfmpegAsync(int frames) =>
        PeerProcess.RunAsync("ip",
            _namespace.Exec("ffmpeg", "-hide_banner", "-nostats", "-v", "info", "-rtsp_transport", "udp_multicast", "-i", _daemon.Url("cam0"),
                "-vf", "showinfo", "-frames:v", frames.ToString(CultureInfo.InvariantCulture), "-f", "null", "-"),
            ProcessTimeout, "ffmpeg");

    private void AssertDecoded(PeerProcess.Result ffmpeg, int expected)
    {
        var frames = ShowinfoFrame().Count(ffmpeg.StandardError);
        var diagnostics = $"ffmpeg exit {ffmpeg.ExitCode}, timed out {ffmpeg.TimedOut}, {frames} frames of 640x360\n{Tail(ffmpeg.StandardError)}\ndaemon:\n{Tail(_daemon.Output)}";
        Assert.False(ffmpeg.TimedOut, diagnostics);
        Assert.True(ffmpeg.ExitCode == 0, diagnostics);
        Assert.True(frames >= expected, diagnostics);
    }

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

    [GeneratedRegex(@"stream cam0 sending to (?<group>239\.255\.42\.\d+:\d+) \(ttl 1\)")]
    private static partial Regex SenderStarted();

    [GeneratedRegex(@"stream cam0 stopped sending to 239\.255\.42\.\d+:\d+")]
    private static partial Regex SenderStopped();
}
