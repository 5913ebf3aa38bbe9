using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp;

/// <summary>The server against real ffmpeg/ffprobe (libavformat's RTSP client) on loopback.</summary>
[Collection(RtspIntegrationGroup.Name)]
public class RtspServerFfmpegTests
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(30);
    private readonly RtspClipFixture _clips;

    public RtspServerFfmpegTests(RtspClipFixture clips) => _clips = clips;

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task Ffprobe_sees_one_h264_stream_640x360(string transport)
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        var result = await PeerProcess.RunAsync("ffprobe",
            ["-v", "error", "-rtsp_transport", transport, "-show_entries", "stream=codec_type,codec_name,width,height", "-of", "csv=p=0", harness.Url],
            ProcessTimeout);
        Assert.False(result.TimedOut);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal("h264,video,640,360", result.StandardOutput.Trim());
    }

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task Ffmpeg_decodes_100_frames_without_errors(string transport)
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        var result = await DecodeAsync(harness, transport, 100);
        AssertCleanDecode(result, 100);
    }

    [Fact]
    public async Task Two_clients_at_once_both_decode()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        var results = await Task.WhenAll(DecodeAsync(harness, "tcp", 100), DecodeAsync(harness, "udp", 100));
        AssertCleanDecode(results[0], 100);
        AssertCleanDecode(results[1], 100);
    }

    [Fact]
    public async Task A_client_that_never_reads_does_not_hold_back_another()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        using var stalled = new RawRtspClient(harness.Port, receiveBufferSize: 4096);
        Assert.Equal(200, (await stalled.RequestAsync("DESCRIBE", harness.Url)).Status);
        var setup = await stalled.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        var session = setup["Session"]!.Split(';')[0];
        Assert.Equal(200, (await stalled.RequestAsync("PLAY", harness.Url, "Session: " + session)).Status);

        // From here the raw client reads nothing while ffmpeg decodes in parallel.
        var publishedBefore = harness.Publisher.Published;
        var result = await DecodeAsync(harness, "tcp", 100);
        AssertCleanDecode(result, 100);
        Assert.True(harness.Publisher.Published - publishedBefore >= 90, "the hub kept publishing at its own pace");
    }

    [Fact]
    public async Task Joining_a_gop_300_stream_shows_a_picture_quickly()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop300, maxGopFrames: 400);

        // Join well inside the GOP, far from the next keyframe (frame 300, 10 s after start).
        while (harness.Publisher.Published < 60)
        {
            await Task.Delay(50);
        }

        var result = await PeerProcess.RunAsync("ffmpeg",
            ["-hide_banner", "-v", "error", "-rtsp_transport", "tcp", "-i", harness.Url, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "pipe:1"],
            ProcessTimeout);
        Assert.False(result.TimedOut);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.NotEmpty(result.StandardOutput);
        Assert.NotNull(result.FirstStandardOutput);
        Assert.True(result.FirstStandardOutput < TimeSpan.FromSeconds(1), $"first decoded frame after {result.FirstStandardOutput}");
    }

    private static Task<PeerProcess.Result> DecodeAsync(RtspTestHarness harness, string transport, int frames) =>
        PeerProcess.RunAsync("ffmpeg",
            ["-hide_banner", "-nostats", "-v", "error", .. FfmpegProgress.Arguments, "-rtsp_transport", transport, "-i", harness.Url,
             "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "null", "-"],
            ProcessTimeout);

    private static void AssertCleanDecode(PeerProcess.Result result, int frames)
    {
        Assert.False(result.TimedOut, "ffmpeg timed out: " + result.StandardError);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(string.Empty, result.StandardError);
        Assert.Equal(frames, FfmpegProgress.DecodedFrames(result));

        // 100 frames at 30 fps take at least ~2 s of live stream after the cached GOP's burst.
        Assert.True(result.Elapsed > TimeSpan.FromSeconds((frames - 30) / 30.0 * 0.8), $"elapsed {result.Elapsed}");
    }
}
