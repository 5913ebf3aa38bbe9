using System.Diagnostics;
using System.Text.Json;
using CamStreamd.Tests.EndToEnd;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Composite;

/// <summary>
/// Four real RTSP cameras (gst-rtsp-server, each one solid colour) tiled by the daemon into one
/// 640x480 stream, watched by a real ffmpeg viewer from start to end. One camera is killed: its
/// tile holds the last picture, turns black after holdSeconds, and comes back when the camera
/// restarts; the other tiles keep their colours in every picture and the viewer decodes
/// throughout without an error at the composite's own pace.
/// </summary>
[Collection(CompositeCameraGroup.Name)]
public sealed class CompositeCameraTests
{
    private const int Width = 640;
    private const int Height = 480;

    private const double Fps = 15;
    private const int HoldSeconds = 3;

    // Each camera's colour: its name in CompositeQuarterView's palette, and videotestsrc's RRGGBB.
    private static readonly (string Name, string Rgb)[] Cameras =
    [
        ("red", "ff0000"),
        ("green", "00ff00"),
        ("blue", "0000ff"),
        ("white", "ffffff"),
    ];

    private readonly ITestOutputHelper _output;

    public CompositeCameraTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Four_cameras_tile_by_colour_and_a_killed_one_holds_turns_black_and_returns_while_the_others_and_the_pace_never_falter()
    {
        var servers = new GstRtspServerProcess[Cameras.Length];
        DaemonProcess? daemon = null;
        try
        {
            var starts = Cameras.Select(c => GstRtspServerProcess.StartAsync(320, 240, 30, 30, color: c.Rgb)).ToArray();
            for (var i = 0; i < servers.Length; i++)
            {
                servers[i] = await starts[i];
            }

            // TCP, the default transport (the pulled input of the second composite below uses UDP).
            var inputs = string.Join(",\n", Cameras.Select((c, i) => $$"""{ "url": "{{servers[i].Url}}", "name": "{{c.Name}}", "transport": "tcp" }"""));
            daemon = await DaemonProcess.StartAsync($$"""
                {
                  "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
                  "http": { "listenAddress": "127.0.0.1", "port": 0 },
                  "streams": [
                    { "name": "mix",
                      "source": { "type": "composite", "width": {{Width}}, "height": {{Height}}, "fps": {{Fps}}, "holdSeconds": {{HoldSeconds}},
                                  "layout": "grid", "inputs": [ {{inputs}} ] },
                      "encoder": { "engine": "x264", "bitrate": 1000000, "gop": 15 } },
                    { "name": "tp", "source": { "type": "testPattern", "width": 320, "height": 240, "fps": 15 }, "encoder": { "engine": "x264", "gop": 15 } },
                    { "name": "local",
                      "source": { "type": "composite", "width": 320, "height": 120, "fps": 5,
                                  "inputs": [ { "stream": "tp", "x": 0, "y": 0, "width": 160, "height": 120 },
                                              { "url": "{{servers[0].Url}}", "transport": "udp", "x": 160, "y": 0, "width": 160, "height": 120 } ] },
                      "encoder": { "engine": "x264", "gop": 5 } }
                  ]
                }
                """);

            // Before any viewer: the daemon with every input live uses a bounded share of the CPU
            // (decoding 4 inputs and encoding 15 fps; a spinning loop would take a whole core).
            using (var api = new HttpClient { BaseAddress = daemon.HttpBase })
            {
                var live = Stopwatch.StartNew();
                while (!(await InputsAsync(daemon)).All(i => i.GetProperty("state").GetString() == "live"))
                {
                    Assert.True(live.Elapsed < TimeSpan.FromSeconds(40), "inputs not live: " + await api.GetStringAsync("/api/streams/mix"));
                    await Task.Delay(100);
                }

                var cpu0 = ProcessCpu.Seconds(daemon.ProcessId);
                var wall = Stopwatch.StartNew();
                await Task.Delay(TimeSpan.FromSeconds(5));
                var cpuPerSecond = (ProcessCpu.Seconds(daemon.ProcessId) - cpu0) / wall.Elapsed.TotalSeconds;
                var captured = JsonDocument.Parse(await api.GetStringAsync("/api/streams/mix")).RootElement.GetProperty("frames").GetProperty("captured").GetInt64();
                _output.WriteLine($"no viewer: daemon CPU {cpuPerSecond:F3} s/s, RSS {ProcessCpu.RssMiB(daemon.ProcessId):F1} MiB (composite 640x480 at 15 fps of 4 decoded 320x240 30 fps inputs, plus a 320x240 test pattern and a 2-input composite at 5 fps); {captured} composite frames so far");
                Assert.True(cpuPerSecond < 1.0, $"the daemon used {cpuPerSecond:F2} CPU-s per second with no viewer");

                // The local composite: the test pattern's raw frames (copied, no decoder) and the pulled red camera.
                var local = JsonDocument.Parse(await api.GetStringAsync("/api/streams/local")).RootElement.GetProperty("inputs").EnumerateArray().ToArray();
                Assert.Equal(("tp", "stream", "none"), (local[0].GetProperty("name").GetString(), local[0].GetProperty("kind").GetString(), local[0].GetProperty("decoder").GetString()));
                Assert.Equal("live", local[0].GetProperty("state").GetString());
                Assert.Equal("live", local[1].GetProperty("state").GetString());
                Assert.True(local[0].GetProperty("measuredFps").GetDouble() > 5, "the test pattern input: " + local[0]);

                // On pixels: the right half is the red camera, the left half the test pattern (bars: a wide spread of luma).
                var shown = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
                await using (RawVideoViewer.Start(daemon.Url("local"), 320, 120, (picture, _) =>
                {
                    var red = Math.Abs(picture[(60 * 320) + 240] - CompositeQuarterView.Yuv("red").Y) <= 6;
                    var row = picture.AsSpan(60 * 320, 160);
                    var spread = row.ToArray().Max() - row.ToArray().Min();
                    if (red && spread > 100)
                    {
                        shown.TrySetResult($"right luma {picture[(60 * 320) + 240]}, left spread {spread}");
                    }
                }))
                {
                    _output.WriteLine("local composite: " + await shown.Task.WaitAsync(TimeSpan.FromSeconds(30)));
                }
            }

            // Every picture the viewer decodes: each tile's colour (centre for pictures, a corner
            // away from the NO SIGNAL text for black), with the picture's index and arrival time.
            var clock = Stopwatch.StartNew();
            var seen = new List<(TimeSpan At, long Index, string[] Tiles)>();
            var detail = new Dictionary<long, string>();
            await using var viewer = RawVideoViewer.Start(daemon.Url("mix"), CompositeQuarterView.Width, CompositeQuarterView.Height, (picture, index) =>
            {
                var tiles = new string[4];
                for (var t = 0; t < 4; t++)
                {
                    var (x, y) = ((t % 2) * 80, (t / 2) * 60);
                    tiles[t] = CompositeQuarterView.Classify(picture, x + 4, y + 4);
                }

                lock (seen)
                {
                    seen.Add((clock.Elapsed, index, tiles));
                    detail[index] = string.Join(',', Enumerable.Range(0, 4).Select(t => CompositeQuarterView.Describe(picture, ((t % 2) * 80) + 4, ((t / 2) * 60) + 4) + "~" + CompositeQuarterView.Describe(picture, ((t % 2) * 80) + 40, ((t / 2) * 60) + 30)));
                }
            });

            string[] Latest()
            {
                lock (seen)
                {
                    return seen.Count == 0 ? [] : seen[^1].Tiles;
                }
            }

            async Task WaitForAsync(Func<string[], bool> condition, TimeSpan timeout, string what)
            {
                var deadline = Stopwatch.StartNew();
                while (!condition(Latest()))
                {
                    Assert.True(deadline.Elapsed < timeout, $"timed out after {timeout.TotalSeconds} s waiting for {what}; tiles now: {string.Join(',', Latest())}; viewer running {viewer.Running}\n{string.Join('\n', viewer.Log.TakeLast(20))}\ndaemon:\n{Tail(daemon.Output)}");
                    await Task.Delay(50);
                }
            }

            await WaitForAsync(t => t.SequenceEqual(Cameras.Select(c => c.Name)), TimeSpan.FromSeconds(40), "every camera's colour in its tile");
            var allUpAt = clock.Elapsed;
            var inputsJson = await InputsAsync(daemon);
            Assert.All(Enumerable.Range(0, 4), i =>
            {
                Assert.Equal(Cameras[i].Name, inputsJson[i].GetProperty("name").GetString());
                Assert.Equal("live", inputsJson[i].GetProperty("state").GetString());
                Assert.Equal("software", inputsJson[i].GetProperty("decoder").GetString());
            });

            // Kill camera 1 (green): held at once, black within holdSeconds (+ a little), the others untouched.
            await servers[1].KillAsync();
            var killedAt = clock.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.Equal("green", Latest()[1]);
            await WaitForAsync(t => t[1] == "black", TimeSpan.FromSeconds(HoldSeconds + 5), "the killed camera's tile to turn black");
            var blackAt = clock.Elapsed;
            Assert.True(blackAt - killedAt >= TimeSpan.FromSeconds(HoldSeconds - 0.5), $"black {(blackAt - killedAt).TotalSeconds:F2} s after the kill, before holdSeconds");
            Assert.Equal("noSignal", (await InputsAsync(daemon))[1].GetProperty("state").GetString());

            // Restart it: the tile comes back.
            await servers[1].RestartAsync(DateTimeOffset.UtcNow);
            var restartedAt = clock.Elapsed;
            await WaitForAsync(t => t[1] == "green", TimeSpan.FromSeconds(40), "the restarted camera's tile");
            var backAt = clock.Elapsed;
            await Task.Delay(TimeSpan.FromSeconds(1));
            _output.WriteLine($"all up {allUpAt.TotalSeconds:F1} s, killed {killedAt.TotalSeconds:F1} s, black {blackAt.TotalSeconds:F1} s, restarted {restartedAt.TotalSeconds:F1} s, back {backAt.TotalSeconds:F1} s");

            // In every picture from the first full one: tiles 0, 2, 3 kept their colours, tile 1 was only ever green or black.
            List<(TimeSpan At, long Index, string[] Tiles)> pictures;
            lock (seen)
            {
                pictures = [.. seen.Where(s => s.At >= allUpAt)];
            }

            foreach (var (at, index, tiles) in pictures)
            {
                foreach (var t in (int[])[0, 2, 3])
                {
                    Assert.True(tiles[t] == Cameras[t].Name, $"picture {index} at {at.TotalSeconds:F2} s: tile {t} is {tiles[t]}, not {Cameras[t].Name}; pictures around it: {string.Join(" | ", pictures.Where(p => Math.Abs(p.Index - index) <= 3).Select(p => $"{p.Index}: {detail[p.Index]}"))}\ndaemon:\n{Tail(daemon.Output)}");
                }

                Assert.True(tiles[1] is "green" or "black", $"picture {index} at {at.TotalSeconds:F2} s: tile 1 is {tiles[1]}");
            }

            // The viewer decoded throughout, at the composite's pace, without an error.
            var apiJson = await new HttpClient { BaseAddress = daemon.HttpBase }.GetStringAsync("/api/streams/mix");
            _output.WriteLine(apiJson);
            CompositeQuarterView.AssertDecodedAtPace(viewer, Fps, _output, $"; all up at {allUpAt.TotalSeconds:F1} s\n{apiJson}\ndaemon:\n{Tail(daemon.Output)}");

            var metrics = await new HttpClient { BaseAddress = daemon.HttpBase }.GetStringAsync("/metrics");
            Assert.Contains("camstreamd_composite_input_pictures_total{stream=\"mix\",input=\"green\"}", metrics, StringComparison.Ordinal);
        }
        finally
        {
            if (daemon is not null)
            {
                await daemon.DisposeAsync();
            }

            foreach (var server in servers)
            {
                if (server is not null)
                {
                    await server.DisposeAsync();
                }
            }
        }
    }

    private static async Task<JsonElement[]> InputsAsync(DaemonProcess daemon)
    {
        using var http = new HttpClient { BaseAddress = daemon.HttpBase };
        var json = JsonDocument.Parse(await http.GetStringAsync("/api/streams/mix")).RootElement.Clone();
        return [.. json.GetProperty("inputs").EnumerateArray()];
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
