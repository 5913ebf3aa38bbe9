using System.Globalization;
using System.Text.RegularExpressions;
using CamStreamd.Rtsp;
using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp;

/// <summary>
/// Basic and Digest authentication against the two real client implementations: libavformat
/// (ffmpeg, credentials in the URL) and GStreamer's rtspsrc (user-id/user-pw). With the right
/// password each decodes 150 frames of 640x360; with a wrong one each fails with an auth error.
/// The two clients run at the same time against one server to keep the test short.
/// </summary>
[Collection(RtspIntegrationGroup.Name)]
public sealed partial class RtspAuthInteropTests
{
    private const int Frames = 150;
    private const string User = "viewer";
    private const string Password = "pa ss:wörd";
    private const string GstLaunch = "/usr/bin/gst-launch-1.0";
    private const string GstPackages = "gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav";
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(30);
    private readonly RtspClipFixture _clips;

    public RtspAuthInteropTests(RtspClipFixture clips) => _clips = clips;

    [Theory]
    [InlineData(RtspAuthMode.Basic)]
    [InlineData(RtspAuthMode.Digest)]
    public async Task Ffmpeg_and_gstreamer_decode_150_frames_with_the_right_password(RtspAuthMode mode)
    {
        await using var harness = Start(mode);
        var results = await Task.WhenAll(FfmpegAsync(harness, Password), GstreamerAsync(harness, Password, "tcp"));

        var ffmpeg = results[0];
        Assert.False(ffmpeg.TimedOut, "ffmpeg timed out: " + Tail(ffmpeg.StandardError));
        Assert.True(ffmpeg.ExitCode == 0, Tail(ffmpeg.StandardError));
        Assert.True(ShowinfoFrame().Count(ffmpeg.StandardError) >= Frames, $"ffmpeg decoded {ShowinfoFrame().Count(ffmpeg.StandardError)} frames of 640x360\n{Tail(ffmpeg.StandardError)}");

        var gst = results[1];
        var diagnostics = $"gst exit {gst.ExitCode}, timed out {gst.TimedOut}\n{gst.StandardError}\n{Tail(gst.StandardOutput)}";
        Assert.False(gst.TimedOut, diagnostics);
        Assert.True(gst.ExitCode == 0, diagnostics);
        Assert.True(GstChain().Count(gst.StandardOutput) >= Frames, diagnostics);
        var caps = GstDecoderCaps().Match(gst.StandardOutput);
        Assert.True(caps.Success, diagnostics);
        Assert.Equal("640x360", $"{caps.Groups["w"].Value}x{caps.Groups["h"].Value}");
    }

    [Theory]
    [InlineData(RtspAuthMode.Basic)]
    [InlineData(RtspAuthMode.Digest)]
    public async Task Ffmpeg_and_gstreamer_fail_clearly_with_a_wrong_password(RtspAuthMode mode)
    {
        await using var harness = Start(mode);
        var results = await Task.WhenAll(FfmpegAsync(harness, "wrong"), GstreamerAsync(harness, "wrong", "tcp"));

        var ffmpeg = results[0];
        Assert.False(ffmpeg.TimedOut, ffmpeg.StandardError);
        Assert.NotEqual(0, ffmpeg.ExitCode);
        Assert.Contains("401 Unauthorized", ffmpeg.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, ShowinfoFrame().Count(ffmpeg.StandardError));

        var gst = results[1];
        var diagnostics = $"gst exit {gst.ExitCode}, timed out {gst.TimedOut}\n{gst.StandardError}\n{Tail(gst.StandardOutput)}";
        Assert.False(gst.TimedOut, diagnostics);
        Assert.NotEqual(0, gst.ExitCode);
        Assert.Contains("Unauthorized", gst.StandardOutput + gst.StandardError, StringComparison.Ordinal);
        Assert.Equal(0, GstChain().Count(gst.StandardOutput));
        Assert.Equal(0, harness.Server.SessionCount);
    }

    private RtspTestHarness Start(RtspAuthMode mode) => RtspTestHarness.Start(_clips.Gop30, options: new RtspServerOptions
    {
        Auth = new RtspAuthSettings { Mode = mode, Realm = "camstreamd test", Users = [new RtspUser("other", "x"), new RtspUser(User, Password)] },
    });

    private static Task<PeerProcess.Result> FfmpegAsync(RtspTestHarness harness, string password)
    {
        var url = $"rtsp://{User}:{Uri.EscapeDataString(password)}@127.0.0.1:{harness.Port}/cam0";
        return PeerProcess.RunAsync("ffmpeg",
            ["-hide_banner", "-nostats", "-v", "info", "-rtsp_transport", "udp", "-i", url,
             "-vf", "showinfo", "-frames:v", Frames.ToString(CultureInfo.InvariantCulture), "-f", "null", "-"],
            ProcessTimeout);
    }

    private static Task<PeerProcess.Result> GstreamerAsync(RtspTestHarness harness, string password, string protocols)
    {
        Assert.True(File.Exists(GstLaunch), $"{GstLaunch} is missing: install the Debian packages {GstPackages}");
        return PeerProcess.RunAsync("/usr/bin/env",
            ["GST_DEBUG=1", "GST_DEBUG_NO_COLOR=1", GstLaunch, "-v",
             "rtspsrc", $"location={harness.Url}", $"user-id={User}", $"user-pw={password}", $"protocols={protocols}", "latency=0",
             "!", "rtph264depay", "!", "h264parse", "!", "avdec_h264",
             "!", "fakesink", "silent=false", $"num-buffers={Frames.ToString(CultureInfo.InvariantCulture)}"],
            ProcessTimeout,
            GstPackages);
    }

    private static string Tail(string text) => text.Length <= 3000 ? text : text[^3000..];

    // "[Parsed_showinfo_0 @ 0x...] n:  12 pts: ... s:640x360 i:P ..."
    [GeneratedRegex(@"\] n: *\d+ .* s:640x360 ")]
    private static partial Regex ShowinfoFrame();

    [GeneratedRegex(@"GstFakeSink:fakesink0: last-message = chain ")]
    private static partial Regex GstChain();

    [GeneratedRegex(@"avdec_h264-0\.GstPad:src: caps = video/x-raw,.*?width=\(int\)(?<w>\d+), height=\(int\)(?<h>\d+)")]
    private static partial Regex GstDecoderCaps();
}
