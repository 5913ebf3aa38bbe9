using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using CamStreamd.Tests.EndToEnd;

namespace CamStreamd.Tests.Http;

/// <summary>
/// One real daemon for every HTTP test: stream <c>cam0</c> (640x480 test pattern at 15 fps), an
/// API token, MJPEG at 10 fps and quality 70, RTSP and HTTP on free loopback ports.
/// </summary>
public sealed class HttpDaemonFixture : IAsyncLifetime
{
    /// <summary>The API token the daemon requires for changes.</summary>
    public const string Token = "test-token-7f3a";

    /// <summary>The stream's size.</summary>
    public const int Width = 640;

    /// <summary>The stream's size.</summary>
    public const int Height = 480;

    /// <summary>MJPEG pictures per second.</summary>
    public const int MjpegFps = 10;

    private static readonly string Config = $$"""
        {
          "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
          "http": { "listenAddress": "127.0.0.1", "port": 0, "apiToken": "{{Token}}", "mjpeg": { "fps": {{MjpegFps}}, "quality": 70 } },
          "webrtc": { "enabled": false },
          "streams": [
            { "name": "cam0",
              "source": { "type": "testPattern", "width": {{Width}}, "height": {{Height}}, "fps": 15 },
              "encoder": { "engine": "x264", "bitrate": 400000, "gop": 30 } }
          ]
        }
        """;

    internal DaemonProcess Daemon { get; private set; } = null!;

    /// <summary>A client of the daemon's HTTP server (no token).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Daemon = await DaemonProcess.StartAsync(Config);
        Client = new HttpClient { BaseAddress = Daemon.HttpBase, Timeout = TimeSpan.FromSeconds(20) };
        await WaitUntilAsync(async () => (await GetJsonAsync("/api/streams/cam0")).GetProperty("state").GetString() == "running", "cam0 running");
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }
    }

    /// <summary>A request carrying the API token.</summary>
    public static HttpRequestMessage WithToken(HttpMethod method, string path, string? token = Token)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    /// <summary>GETs <paramref name="path"/> and returns its JSON (status must be 2xx).</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms for up to 15 s.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
