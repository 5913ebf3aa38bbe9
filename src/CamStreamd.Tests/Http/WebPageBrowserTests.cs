using System.Text.Json.Nodes;

namespace CamStreamd.Tests.Http;

/// <summary>The web page in headless Chromium: it loads, shows the stream live at its size, with stats and the RTSP URL.</summary>
[Collection(HttpDaemonGroup.Name)]
public sealed class WebPageBrowserTests(HttpDaemonFixture fixture)
{
    [Fact]
    public async Task The_page_shows_the_stream_live_at_its_size_with_stats_and_rtsp_url()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(45));
        await using var browser = await DevToolsClient.OpenAsync(fixture.Daemon.HttpBase, cts.Token);

        // Wait until the script built the stream's card and the MJPEG image has its first picture.
        const string Probe = """
            (() => {
              const img = document.querySelector('img.live[data-stream="cam0"]');
              const card = document.querySelector('section.stream[data-stream="cam0"]');
              if (!img || !card || img.naturalWidth === 0) return null;
              const r = img.getBoundingClientRect();
              return { w: img.naturalWidth, h: img.naturalHeight, x: r.x, y: r.y, cw: r.width, ch: r.height,
                       rtsp: card.querySelector('input').value, stats: card.querySelector('table').innerText,
                       state: card.querySelector('.state').textContent, title: document.title };
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

        Assert.Equal("camstreamd", page["title"]!.GetValue<string>());
        Assert.Equal(HttpDaemonFixture.Width, page["w"]!.GetValue<int>());
        Assert.Equal(HttpDaemonFixture.Height, page["h"]!.GetValue<int>());
        Assert.Equal($"rtsp://127.0.0.1:{fixture.Daemon.RtspPort}/cam0", page["rtsp"]!.GetValue<string>());
        Assert.Equal("running", page["state"]!.GetValue<string>());
        Assert.Contains("640x480", page["stats"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("x264", page["stats"]!.GetValue<string>(), StringComparison.Ordinal);

        // Two screenshots of the picture alone, a second apart: the test pattern moves.
        var (x, y, w, h) = (page["x"]!.GetValue<double>(), page["y"]!.GetValue<double>(), page["cw"]!.GetValue<double>(), page["ch"]!.GetValue<double>());
        var before = await browser.ScreenshotAsync(x, y, w, h, cts.Token);
        await Task.Delay(TimeSpan.FromSeconds(1), cts.Token);
        var after = await browser.ScreenshotAsync(x, y, w, h, cts.Token);
        Assert.True(before.Length > 1000 && after.Length > 1000, $"screenshots of {before.Length} and {after.Length} bytes");
        Assert.False(before.AsSpan().SequenceEqual(after), "the MJPEG picture did not change within a second");
        Assert.Equal(1, (await fixture.GetJsonAsync("/api/streams/cam0")).GetProperty("clients").GetProperty("mjpeg").GetInt32());
    }
}
