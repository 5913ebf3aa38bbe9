using System.Diagnostics;
using System.Globalization;
using CamStreamd.Rtsp;
using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp.Robustness;

/// <summary>After abuse: the server's counts return to zero, and it serves new clients normally.</summary>
internal static class ServerRecovery
{
    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds or <paramref name="timeout"/> passes.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < timeout, $"not within {timeout.TotalSeconds} s: {describe()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the server has no connection and no session left.</summary>
    public static Task WaitForIdleAsync(RtspServer server, TimeSpan timeout) => WaitUntilAsync(
        () => server.ConnectionCount == 0 && server.SessionCount == 0,
        timeout,
        () => $"{server.ConnectionCount} connections and {server.SessionCount} sessions left");

    /// <summary>
    /// The server goes idle within <paramref name="idleTimeout"/> (UDP sessions end at the session
    /// timeout), a raw client then plays 30 packets in sequence, and the server is idle again.
    /// </summary>
    public static async Task AssertRecoveredAsync(RtspTestHarness harness, TimeSpan idleTimeout)
    {
        await WaitForIdleAsync(harness.Server, idleTimeout);
        using (var client = await RtspWireClient.ConnectAsync(harness.Port))
        {
            Assert.Equal(200, (await client.RequestAsync("DESCRIBE", harness.Url, 1, "Accept: application/sdp")).Status);
            var setup = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", 2, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
            Assert.Equal(200, (await client.RequestAsync("PLAY", harness.Url, 3, "Session: " + setup.Session)).Status);
            await RtspAbuse.ExpectRtpAsync(client, 30);
            Assert.Equal(200, (await client.RequestAsync("TEARDOWN", harness.Url, 4, "Session: " + setup.Session)).Status);
        }

        await WaitForIdleAsync(harness.Server, TimeSpan.FromSeconds(5));
    }

    /// <summary>A new ffmpeg client decodes <paramref name="frames"/> frames over TCP without an error line.</summary>
    public static async Task AssertFfmpegDecodesAsync(RtspTestHarness harness, int frames)
    {
        var result = await PeerProcess.RunAsync(
            "ffmpeg",
            ["-hide_banner", "-nostats", "-v", "error", .. FfmpegProgress.Arguments, "-rtsp_transport", "tcp", "-i", harness.Url,
             "-frames:v", frames.ToString(CultureInfo.InvariantCulture), "-f", "null", "-"],
            TimeSpan.FromSeconds(30));
        Assert.False(result.TimedOut, "ffmpeg timed out: " + result.StandardError);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(string.Empty, result.StandardError);
        Assert.Equal(frames, FfmpegProgress.DecodedFrames(result));
    }
}
