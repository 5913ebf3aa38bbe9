using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CamStreamd.Media.H264;
using CamStreamd.Tests.EndToEnd;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Composite;

/// <summary>
/// Bad inputs through a live composite, watched by a real ffmpeg viewer: one camera
/// (gst-rtsp-server serving a clip in a loop) sends corrupt and truncated H.264 and changes
/// resolution every second (320x240 moving picture, then 640x360 solid blue, then back); one
/// "camera" accepts the connection and never answers; one camera is clean (solid green). The
/// composite keeps its pace (the viewer's pictures against the stream time), the clean tile never
/// falters, the bad tile shows both resolutions' pictures, and the viewer decodes without an error.
/// </summary>
[Collection(CompositeCameraGroup.Name)]
public sealed class CompositeRobustnessTests
{
    private const double Fps = 15;

    private readonly ITestOutputHelper _output;

    public CompositeRobustnessTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Corrupt_truncated_resolution_changing_and_silent_inputs_leave_the_composite_at_its_pace()
    {
        var clip = MakeBadClip();
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var held = new List<TcpClient>();
        var accepting = AcceptAndHoldAsync(silent, held);
        GstRtspServerProcess? bad = null, good = null;
        try
        {
            bad = await GstRtspServerProcess.StartAsync(fps: 30, clip: clip);
            good = await GstRtspServerProcess.StartAsync(320, 240, 30, 30, color: "00ff00");
            var port = ((IPEndPoint)silent.LocalEndpoint).Port;
            await using var daemon = await DaemonProcess.StartAsync($$"""
                {
                  "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
                  "http": { "listenAddress": "127.0.0.1", "port": 0 },
                  "streams": [
                    { "name": "mix",
                      "source": { "type": "composite", "width": 640, "height": 480, "fps": {{Fps}}, "holdSeconds": 2, "layout": "grid",
                                  "inputs": [ { "url": "{{bad.Url}}", "name": "bad", "transport": "tcp" },
                                              { "url": "rtsp://127.0.0.1:{{port}}/silent", "name": "silent", "transport": "tcp" },
                                              { "url": "{{good.Url}}", "name": "good", "transport": "tcp" } ] },
                      "encoder": { "engine": "x264", "bitrate": 1000000, "gop": 15 } }
                  ]
                }
                """);

            // Tiles of the 2x2 grid, seen at a quarter size: bad (0,0), silent (80,0), good (0,60).
            var seen = new List<(string Bad, string Silent, string Good)>();
            await using var viewer = RawVideoViewer.Start(daemon.Url("mix"), CompositeQuarterView.Width, CompositeQuarterView.Height, (picture, _) =>
            {
                var tiles = (CompositeQuarterView.Classify(picture, 36, 26), CompositeQuarterView.Classify(picture, 80 + 4, 4), CompositeQuarterView.Classify(picture, 36, 60 + 26));
                lock (seen)
                {
                    seen.Add(tiles);
                }
            });

            // Progress: at least 10 s of pictures after the clean tile is green, and the bad tile seen
            // blue (640x360) and then other than blue (320x240) again.
            var clock = Stopwatch.StartNew();
            while (true)
            {
                List<(string Bad, string Silent, string Good)> now;
                lock (seen)
                {
                    now = [.. seen.SkipWhile(s => s.Good != "green")];
                }

                var blueAt = now.FindIndex(s => s.Bad == "blue");
                var changedBack = blueAt >= 0 && now.Skip(blueAt).Any(s => s.Bad is not "blue" and not "black");
                if (now.Count >= 10 * Fps && changedBack)
                {
                    break;
                }

                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"after {clock.Elapsed.TotalSeconds:F0} s: {now.Count} pictures since the clean tile was green, bad tile seen blue at {blueAt}, back {changedBack}; last {(now.Count > 0 ? now[^1] : default)}\n{string.Join('\n', viewer.Log.TakeLast(20))}\n{daemon.Output[^Math.Min(4000, daemon.Output.Length)..]}");
                await Task.Delay(100);
            }

            var inputs = JsonDocument.Parse(await new HttpClient { BaseAddress = daemon.HttpBase }.GetStringAsync("/api/streams/mix")).RootElement.GetProperty("inputs").Clone();
            _output.WriteLine(inputs.ToString());

            // The corrupt units reached the decoder (counted, never thrown); the silent input never got a picture.
            Assert.True(inputs[0].GetProperty("failures").GetInt64() > 0, "no decode failure counted for the corrupt input: " + inputs[0]);
            Assert.True(inputs[0].GetProperty("pictures").GetInt64() > 30, "the corrupt input decoded too little: " + inputs[0]);
            Assert.Equal(0, inputs[1].GetProperty("pictures").GetInt64());
            Assert.Contains(inputs[1].GetProperty("state").GetString(), (string[])["waiting", "noSignal"]);

            List<(string Bad, string Silent, string Good)> pictures;
            lock (seen)
            {
                pictures = [.. seen.SkipWhile(s => s.Good != "green")];
            }

            Assert.All(pictures, p => Assert.Equal("green", p.Good));
            Assert.All(pictures, p => Assert.Equal("black", p.Silent));

            // The pace: every picture due over the stream time came, with no gap over three frame periods.
            _output.WriteLine($"{clock.Elapsed.TotalSeconds:F1} s of wall time");
            CompositeQuarterView.AssertDecodedAtPace(viewer, Fps, _output);
        }
        finally
        {
            silent.Stop();
            await accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
            foreach (var client in held)
            {
                client.Dispose();
            }

            if (bad is not null)
            {
                await bad.DisposeAsync();
            }

            if (good is not null)
            {
                await good.DisposeAsync();
            }

            File.Delete(clip);
        }
    }

    /// <summary>Accepts connections and never sends a byte (a camera that hangs after connect).</summary>
    private static async Task AcceptAndHoldAsync(TcpListener listener, List<TcpClient> held)
    {
        while (true)
        {
            var client = await listener.AcceptTcpClientAsync();
            lock (held)
            {
                held.Add(client);
            }
        }
    }

    /// <summary>
    /// One second of a 320x240 moving picture with slice data corrupted in four P units and four
    /// more truncated to half, then one second of solid blue at 640x360 (a new SPS), each segment
    /// starting with an IDR; looped by the server, so the size changes both ways every second.
    /// </summary>
    private static string MakeBadClip()
    {
        var moving = H264Clips.Encode("testsrc2=size=320x240:rate=30", frames: 30, gop: 30);
        var blue = H264Clips.Encode("color=c=blue:size=640x360:rate=30", frames: 30, gop: 30);
        var units = AccessUnitSplitter.Split(moving).Select(u => moving.AsSpan(u.Offset, u.Length).ToArray()).ToList();
        for (var i = 0; i < units.Count; i++)
        {
            var unit = units[i];
            if (i is >= 3 and <= 6)
            {
                // Flip bytes past the slice header: the decoder sees a broken residual.
                for (var b = unit.Length / 3; b < unit.Length; b += 7)
                {
                    unit[b] ^= 0x5A;
                }
            }
            else if (i is >= 12 and <= 15)
            {
                units[i] = unit[..Math.Max(8, unit.Length / 2)];
            }
        }

        var path = Path.Combine(Path.GetTempPath(), $"camstreamd-bad-clip-{Guid.NewGuid():N}.h264");
        File.WriteAllBytes(path, [.. units.SelectMany(u => u), .. blue]);
        return path;
    }
}
