using System.Diagnostics;
using System.Text.Json.Nodes;
using CamStreamd.Tests.Http;
using Xunit.Abstractions;

namespace CamStreamd.Tests.WebRtc.Whep;

/// <summary>
/// Headless Chromium plays cam0 through WHEP: asserted from getStats() inbound-rtp (frames decoded
/// against frames the stream made, the frame size, the first decoded frame within 1 s on a 10 s
/// GOP), four sessions at once beside an ffmpeg RTSP viewer that decodes every frame, DELETE ends a
/// session, and a browser killed without DELETE is reaped by consent freshness; the API counts both.
/// </summary>
[Collection(WebRtcDaemonGroup.Name)]
public sealed class WhepBrowserTests(WebRtcDaemonFixture fixture, ITestOutputHelper output)
{
    /// <summary>Chromium on loopback: allow loopback candidates, no permission prompts, and the host's address not hidden behind mDNS.</summary>
    internal static readonly string[] BrowserFlags =
    [
        "--allow-loopback-in-peer-connection", "--use-fake-ui-for-media-stream", "--disable-features=WebRtcHideLocalIpsWithMdns",
        "--autoplay-policy=no-user-gesture-required",
    ];

    [Fact]
    public async Task Chromium_plays_cam0_at_its_size_first_frame_within_a_second_and_delete_ends_it()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var browser = await OpenPlayerPageAsync(cts.Token);
        var started = await browser.EvaluateAsync("startPlayer('cam0')", cts.Token);
        Assert.True(started!["status"]!.GetValue<int>() == 201, $"WHEP POST: {started.ToJsonString()}");
        var location = started["location"]!.GetValue<string>();
        Assert.Matches("^/streams/cam0/whep/[0-9a-f]+$", location);

        var first = await WaitForFramesAsync(browser, 0, 15, cts.Token);
        Assert.Equal(WebRtcDaemonFixture.Width, first["width"]!.GetValue<int>());
        Assert.Equal(WebRtcDaemonFixture.Height, first["height"]!.GetValue<int>());
        var firstFrameMs = first["firstFrameMs"]!.GetValue<double>();
        output.WriteLine($"first decoded frame {firstFrameMs:0} ms after the POST (GOP 10 s)");
        Assert.True(firstFrameMs < 1000, $"first decoded frame after {firstFrameMs:0} ms (GOP 10 s)");

        // Over a few seconds, the browser decodes at least 90% of what the stream encoded.
        var (decoded, encoded) = await DecodedAgainstEncodedAsync(browser, [0], TimeSpan.FromSeconds(4), cts.Token);
        output.WriteLine($"decoded {decoded[0]} of {encoded} frames encoded in 4 s");
        Assert.True(decoded[0] >= 0.9 * encoded, $"decoded {decoded[0]} of {encoded} frames");
        Assert.Equal(1, await fixture.WebRtcClientsAsync());
        var api = await fixture.GetJsonAsync("/api/webrtc");
        Assert.Equal("playing", api.GetProperty("sessions")[0].GetProperty("state").GetString());
        // Chromium offers AES-GCM beside AES-CM (use_srtp 0x0001, 0x0008, 0x0007): we take the cheaper GCM.
        Assert.Equal("AEAD_AES_128_GCM", api.GetProperty("sessions")[0].GetProperty("srtp").GetString());

        // DELETE from the page (as a player does): the session ends, the API counts it.
        var deleted = await browser.EvaluateAsync($"fetch('{location}', {{ method: 'DELETE' }}).then(r => r.status)", cts.Token);
        Assert.Equal(200, deleted!.GetValue<int>());
        await fixture.WaitUntilAsync(async () => await fixture.WebRtcClientsAsync() == 0 && await fixture.SessionsAsync() == 0, "the deleted session gone", TimeSpan.FromSeconds(5));
        var again = await browser.EvaluateAsync($"fetch('{location}', {{ method: 'DELETE' }}).then(r => r.status)", cts.Token);
        Assert.Equal(404, again!.GetValue<int>());
    }

    [Fact]
    public async Task Four_sessions_play_beside_an_rtsp_viewer_and_a_killed_browser_is_reaped_by_consent()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        var browser = await OpenPlayerPageAsync(cts.Token);
        try
        {
            for (var i = 0; i < 4; i++)
            {
                var started = await browser.EvaluateAsync("startPlayer('cam0')", cts.Token);
                Assert.True(started!["status"]!.GetValue<int>() == 201, $"WHEP POST {i}: {started.ToJsonString()}");
            }

            for (var i = 0; i < 4; i++)
            {
                await WaitForFramesAsync(browser, i, 10, cts.Token);
            }

            // An RTSP viewer decodes every frame of 5 s while the four play.
            var frames = WebRtcDaemonFixture.Fps * 5;
            var rtsp = Task.Run(() => FfmpegDecode($"rtsp://127.0.0.1:{fixture.Daemon.RtspPort}/cam0", frames), cts.Token);
            var (decoded, encoded) = await DecodedAgainstEncodedAsync(browser, [0, 1, 2, 3], TimeSpan.FromSeconds(4), cts.Token);
            for (var i = 0; i < 4; i++)
            {
                Assert.True(decoded[i] >= 0.9 * encoded, $"session {i} decoded {decoded[i]} of {encoded} frames");
            }

            var (exit, decodedRtsp, log) = await rtsp;
            Assert.True(exit == 0 && decodedRtsp >= frames, $"ffmpeg exit {exit}, {decodedRtsp} of {frames} frames:\n{log}");
            Assert.Equal(4, await fixture.WebRtcClientsAsync());
        }
        finally
        {
            // The tab goes away without DELETE and without closing its connections.
            await browser.DisposeAsync();
        }

        var killed = Stopwatch.StartNew();
        await fixture.WaitUntilAsync(async () => await fixture.WebRtcClientsAsync() == 0 && await fixture.SessionsAsync() == 0, "consent freshness to end the killed browser's sessions", TimeSpan.FromSeconds(60));
        output.WriteLine($"killed browser's sessions ended {killed.Elapsed.TotalSeconds:0.0} s after the kill");
        Assert.True(killed.Elapsed > TimeSpan.FromSeconds(20), $"sessions ended after {killed.Elapsed.TotalSeconds:0} s: sooner than consent freshness allows");
    }

    [Fact]
    public async Task The_web_page_plays_over_webrtc_and_shows_the_browsers_latency()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using (var browser = await DevToolsClient.OpenAsync(fixture.Daemon.HttpBase, cts.Token, BrowserFlags))
        {
            const string Probe = """
                (() => {
                  const video = document.querySelector('video.webrtc[data-stream="cam0"]');
                  const img = document.querySelector('img.live[data-stream="cam0"]');
                  const latency = document.querySelector('section.stream[data-stream="cam0"] .latency');
                  if (!video || video.hidden || video.videoWidth === 0 || !latency.textContent.includes('jitter buffer')) return null;
                  return { w: video.videoWidth, h: video.videoHeight, imgHidden: img.hidden, imgSrc: img.src, latency: latency.textContent };
                })()
                """;
            JsonNode? page = null;
            while (page is null)
            {
                page = await browser.EvaluateAsync(Probe, cts.Token);
                if (page is null)
                {
                    await Task.Delay(200, cts.Token);
                }
            }

            Assert.Equal(WebRtcDaemonFixture.Width, page["w"]!.GetValue<int>());
            Assert.Equal(WebRtcDaemonFixture.Height, page["h"]!.GetValue<int>());
            Assert.True(page["imgHidden"]!.GetValue<bool>());
            Assert.Equal("", page["imgSrc"]!.GetValue<string>());
            Assert.StartsWith("WebRTC, jitter buffer ", page["latency"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(1, await fixture.WebRtcClientsAsync());
            Assert.Equal(0, (await fixture.GetJsonAsync("/api/streams/cam0")).GetProperty("clients").GetProperty("mjpeg").GetInt32());

            // Leaving the page DELETEs its session (pagehide), without waiting for consent freshness.
            await browser.EvaluateAsync("location.href = 'about:blank'; true", cts.Token);
            await fixture.WaitUntilAsync(async () => await fixture.SessionsAsync() == 0, "the page's session deleted on pagehide", TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Chromium on a page of the daemon's origin (loaded, so relative WHEP URLs resolve) with the player script installed.</summary>
    private async Task<DevToolsClient> OpenPlayerPageAsync(CancellationToken cancellationToken)
    {
        var browser = await DevToolsClient.OpenAsync(new Uri(fixture.Daemon.HttpBase, "api/health"), cancellationToken, BrowserFlags);
        try
        {
            while ((await browser.EvaluateAsync("location.protocol === 'http:' && document.readyState === 'complete'", cancellationToken))?.GetValue<bool>() != true)
            {
                await Task.Delay(50, cancellationToken);
            }

            Assert.True((await browser.EvaluateAsync(WhepPageScript.Install, cancellationToken))!.GetValue<bool>());
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until player <paramref name="index"/> decoded <paramref name="frames"/> frames; returns its stats.</summary>
    internal static async Task<JsonNode> WaitForFramesAsync(DevToolsClient browser, int index, int frames, CancellationToken cancellationToken)
    {
        while (true)
        {
            var stats = (await browser.EvaluateAsync("playerStats()", cancellationToken))![index]!;
            if (stats["framesDecoded"]!.GetValue<int>() >= frames && stats["firstFrameMs"] is not null)
            {
                return stats;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    private async Task<(long[] Decoded, long Encoded)> DecodedAgainstEncodedAsync(DevToolsClient browser, int[] players, TimeSpan span, CancellationToken cancellationToken)
    {
        var before = await browser.EvaluateAsync("playerStats()", cancellationToken);
        var encodedBefore = (await fixture.GetJsonAsync("/api/streams/cam0")).GetProperty("frames").GetProperty("encoded").GetInt64();
        await Task.Delay(span, cancellationToken);

        // Frames encoded at the end of the span may still be on their way: give the browser 300 ms more to decode them.
        var encodedAfter = (await fixture.GetJsonAsync("/api/streams/cam0")).GetProperty("frames").GetProperty("encoded").GetInt64();
        await Task.Delay(300, cancellationToken);
        var after = await browser.EvaluateAsync("playerStats()", cancellationToken);
        var decoded = players.Select(i => (long)(after![i]!["framesDecoded"]!.GetValue<int>() - before![i]!["framesDecoded"]!.GetValue<int>())).ToArray();
        return (decoded, encodedAfter - encodedBefore);
    }

    private static (int Exit, int Frames, string Log) FfmpegDecode(string url, int frames)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-hide_banner", "-loglevel", "info", "-rtsp_transport", "tcp", "-i", url, "-frames:v", frames.ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "null", "-" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
        }

        var log = stderr.Result;
        var match = System.Text.RegularExpressions.Regex.Matches(log, @"frame=\s*(\d+)").LastOrDefault();
        return (process.ExitCode, match is null ? 0 : int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), log);
    }
}
