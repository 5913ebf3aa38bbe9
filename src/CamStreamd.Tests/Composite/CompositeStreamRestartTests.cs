using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CamStreamd.Tests.EndToEnd;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Composite;

/// <summary>
/// A composite input <c>{"stream": name}</c> whose stream is restarted through the API: stopped and
/// started (the same pipeline), then removed and added again (a new hub and pipeline). The tile
/// turns NO SIGNAL while the stream is gone and shows the stream again once it is back, without
/// the composite restarting; a real ffmpeg viewer of the composite sees the test pattern's colour
/// bars in the tile again.
/// </summary>
[Collection(CompositeCameraGroup.Name)]
public sealed class CompositeStreamRestartTests
{
    private const string StreamBody = """
        { "name": "tp", "source": { "type": "testPattern", "width": 160, "height": 120, "fps": 15 }, "encoder": { "engine": "x264", "gop": 15 } }
        """;

    private readonly ITestOutputHelper _output;

    public CompositeStreamRestartTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task A_stream_input_comes_back_after_its_stream_is_stopped_and_started_and_after_it_is_removed_and_added_again()
    {
        await using var daemon = await DaemonProcess.StartAsync($$"""
            {
              "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
              "http": { "listenAddress": "127.0.0.1", "port": 0 },
              "streams": [
                {{StreamBody}},
                { "name": "mix",
                  "source": { "type": "composite", "width": 320, "height": 120, "fps": 10, "holdSeconds": 1,
                              "inputs": [ { "stream": "tp", "x": 0, "y": 0, "width": 160, "height": 120 } ] },
                  "encoder": { "engine": "x264", "gop": 10 } }
              ]
            }
            """);
        using var api = new HttpClient { BaseAddress = daemon.HttpBase };

        async Task<JsonElement> InputAsync() =>
            JsonDocument.Parse(await api.GetStringAsync("/api/streams/mix")).RootElement.GetProperty("inputs")[0].Clone();

        // Progress, not time: the input's picture count must move past `after` with the state `live`.
        async Task<long> LiveAsync(long after, string what)
        {
            var deadline = Stopwatch.StartNew();
            while (true)
            {
                var input = await InputAsync();
                var pictures = input.GetProperty("pictures").GetInt64();
                if (input.GetProperty("state").GetString() == "live" && pictures > after + 5)
                {
                    return pictures;
                }

                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"{what}: the input is {input} (pictures before: {after})\n{daemon.Output}");
                await Task.Delay(100);
            }
        }

        async Task NoSignalAsync(string what)
        {
            var deadline = Stopwatch.StartNew();
            while ((await InputAsync()).GetProperty("state").GetString() != "noSignal")
            {
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), $"{what}: the input is {await InputAsync()}\n{daemon.Output}");
                await Task.Delay(100);
            }
        }

        var pictures = await LiveAsync(0, "at start");

        // Stop and start: the same pipeline runs again.
        (await api.PostAsync("/api/streams/tp/stop", null)).EnsureSuccessStatusCode();
        await NoSignalAsync("stream stopped");
        pictures = (await InputAsync()).GetProperty("pictures").GetInt64();
        (await api.PostAsync("/api/streams/tp/start", null)).EnsureSuccessStatusCode();
        pictures = await LiveAsync(pictures, "stream started again");

        // Removed and added again: a new hub and pipeline of the same name (this showed NO SIGNAL until the composite restarted).
        (await api.DeleteAsync("/api/streams/tp")).EnsureSuccessStatusCode();
        await NoSignalAsync("stream removed");
        pictures = (await InputAsync()).GetProperty("pictures").GetInt64();
        using (var created = await api.PostAsync("/api/streams", new StringContent(StreamBody, System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        pictures = await LiveAsync(pictures, "stream added again");
        _output.WriteLine($"after re-adding: {await InputAsync()}");

        // On pixels: the tile shows the test pattern's colour bars (chroma far from grey; a NO SIGNAL card is grey).
        var shown = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (RawVideoViewer.Start(daemon.Url("mix"), 320, 120, (picture, _) =>
        {
            var u = picture.AsSpan((320 * 120) + (30 * 160), 80);
            var colour = 0;
            foreach (var b in u)
            {
                colour = Math.Max(colour, Math.Abs(b - 128));
            }

            if (colour > 40)
            {
                shown.TrySetResult(colour);
            }
        }))
        {
            _output.WriteLine($"tile chroma deviation {await shown.Task.WaitAsync(TimeSpan.FromSeconds(30))}");
        }
    }
}
