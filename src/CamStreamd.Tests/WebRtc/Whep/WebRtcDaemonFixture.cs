using System.Text.Json;
using CamStreamd.Tests.EndToEnd;

namespace CamStreamd.Tests.WebRtc.Whep;

/// <summary>
/// One daemon for the WHEP tests: <c>cam0</c>, a 640x480 test pattern at 15 fps with a 10 s GOP
/// (so a first picture within 1 s can only come from the cached GOP or an asked-for IDR), x264
/// main profile; RTSP, HTTP and the WebRTC UDP port on free loopback ports; 16 sessions at most (4 per address).
/// </summary>
public sealed class WebRtcDaemonFixture : IAsyncLifetime
{
    /// <summary>The stream's size.</summary>
    public const int Width = 640;

    /// <summary>The stream's size.</summary>
    public const int Height = 480;

    /// <summary>The stream's rate.</summary>
    public const int Fps = 15;

    /// <summary>webrtc.maxSessions.</summary>
    public const int MaxSessions = 16;

    private static readonly string Config = $$"""
        {
          "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
          "http": { "listenAddress": "127.0.0.1", "port": 0 },
          "webrtc": { "port": 0, "maxSessions": {{MaxSessions}}, "allowOrigins": ["*"] },
          "streams": [
            { "name": "cam0",
              "source": { "type": "testPattern", "width": {{Width}}, "height": {{Height}}, "fps": {{Fps}} },
              "encoder": { "engine": "x264", "bitrate": 600000, "gop": {{Fps * 10}}, "profile": "main" } }
          ]
        }
        """;

    internal DaemonProcess Daemon { get; private set; } = null!;

    /// <summary>A client of the daemon's HTTP server.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The WebRTC UDP port.</summary>
    public int WebRtcPort { get; private set; }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Daemon = await DaemonProcess.StartAsync(Config);
        Client = new HttpClient { BaseAddress = Daemon.HttpBase, Timeout = TimeSpan.FromSeconds(20) };
        await WaitUntilAsync(async () => (await GetJsonAsync("/api/streams/cam0")).GetProperty("state").GetString() == "running", "cam0 running", TimeSpan.FromSeconds(30));
        WebRtcPort = (await GetJsonAsync("/api/webrtc")).GetProperty("port").GetInt32();
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

    /// <summary>GETs <paramref name="path"/> as JSON (2xx required).</summary>
    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>clients.webRtc of cam0.</summary>
    public async Task<int> WebRtcClientsAsync() => (await GetJsonAsync("/api/streams/cam0")).GetProperty("clients").GetProperty("webRtc").GetInt32();

    /// <summary>Live WebRTC sessions in /api/webrtc.</summary>
    public async Task<int> SessionsAsync() => (await GetJsonAsync("/api/webrtc")).GetProperty("sessions").GetArrayLength();

    /// <summary>Polls <paramref name="condition"/> every 100 ms until true, failing after <paramref name="timeout"/> with the daemon's output.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}; daemon output:\n{Daemon.Output}");
            await Task.Delay(100);
        }
    }
}
