using System.Diagnostics;
using System.Text.Json;
using CamStreamd.Tests.EndToEnd;

namespace CamStreamd.Tests.Publish;

/// <summary>
/// Three gst-rtsp-server RECORD servers (one open to TCP and UDP, one behind Digest, one the
/// outage test kills) and one daemon whose test-pattern streams publish to them: <c>tcp</c>,
/// <c>udp</c>, <c>digest</c> and <c>outage</c>.
/// </summary>
public sealed class PublishFixture : IAsyncLifetime
{
    /// <summary>Picture size of every stream.</summary>
    public const int Width = 320;

    /// <summary>Picture height of every stream.</summary>
    public const int Height = 240;

    /// <summary>The Digest user of the protected server.</summary>
    public const string User = "pub";

    /// <summary>Its password (with a character that needs no escaping in JSON but is unusual in URLs).</summary>
    public const string Password = "s3cret!pub";

    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-publish-").FullName;

    internal GstRecordServerProcess Open { get; private set; } = null!;

    internal GstRecordServerProcess Udp { get; private set; } = null!;

    internal GstRecordServerProcess Digest { get; private set; } = null!;

    internal GstRecordServerProcess Outage { get; private set; } = null!;

    internal DaemonProcess Daemon { get; private set; } = null!;

    /// <summary>A client of the daemon's API.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>A scratch directory that lives as long as the fixture.</summary>
    public string Scratch => _directory;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var open = GstRecordServerProcess.StartAsync(Path.Combine(_directory, "open"), "tcp");
        var udp = GstRecordServerProcess.StartAsync(Path.Combine(_directory, "udp"), "udp");
        var digest = GstRecordServerProcess.StartAsync(Path.Combine(_directory, "digest"), "tcp", User, Password);
        var outage = GstRecordServerProcess.StartAsync(Path.Combine(_directory, "outage"), "tcp");
        Open = await open;
        Udp = await udp;
        Digest = await digest;
        Outage = await outage;
        Daemon = await DaemonProcess.StartAsync($$"""
            {
              "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
              "http": { "listenAddress": "127.0.0.1", "port": 0 },
              "streams": [
                {{Stream("tcp", $"{{ \"url\": \"{Open.Url}\" }}")}},
                {{Stream("udp", $"{{ \"url\": \"{Udp.Url}\", \"transport\": \"udp\" }}")}},
                {{Stream("digest", $"{{ \"url\": \"{Digest.Url}\", \"username\": \"{User}\", \"password\": \"{Password}\" }}")}},
                {{Stream("outage", $"{{ \"url\": \"{Outage.Url}\" }}")}}
              ]
            }
            """);
        Api = new HttpClient { BaseAddress = Daemon.HttpBase, Timeout = TimeSpan.FromSeconds(20) };
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        Api?.Dispose();
        if (Daemon is not null)
        {
            await Daemon.DisposeAsync();
        }

        foreach (var server in (GstRecordServerProcess?[])[Open, Udp, Digest, Outage])
        {
            if (server is not null)
            {
                await server.DisposeAsync();
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>One test-pattern stream of the daemon's config publishing to <paramref name="targets"/> (JSON objects).</summary>
    public static string Stream(string name, string targets) => $$"""
        { "name": "{{name}}",
          "source": { "type": "testPattern", "width": {{Width}}, "height": {{Height}}, "fps": 30 },
          "encoder": { "engine": "x264", "bitrate": 400000, "gop": 30 },
          "publish": [ {{targets}} ] }
        """;

    /// <summary><c>GET /api/streams/{name}</c>.</summary>
    public async Task<JsonElement> StreamAsync(string name)
    {
        using var response = await Api.GetAsync($"/api/streams/{name}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {name}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The first publish target of stream <paramref name="name"/>, as the API shows it.</summary>
    public async Task<JsonElement> TargetAsync(string name, int index = 0) => (await StreamAsync(name)).GetProperty("publish")[index];

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds or <paramref name="timeout"/> passes.</summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(stopwatch.Elapsed < timeout, $"timed out after {timeout.TotalSeconds} s waiting for {what}\n{Report}");
            await Task.Delay(100);
        }
    }

    /// <summary>The daemon's log tail and every server's output, for failure messages.</summary>
    public string Report => $"daemon:\n{(Daemon.Output.Length <= 4000 ? Daemon.Output : Daemon.Output[^4000..])}\n{Open?.Output}\n{Udp?.Output}\n{Digest?.Output}\n{Outage?.Output}";
}
