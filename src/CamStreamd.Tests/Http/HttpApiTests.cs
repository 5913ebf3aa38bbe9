using System.Net;
using System.Text;
using System.Text.Json;

namespace CamStreamd.Tests.Http;

/// <summary>The REST API of a running daemon: JSON shapes, errors as problem documents, token auth, runtime changes.</summary>
[Collection(HttpDaemonGroup.Name)]
public sealed class HttpApiTests(HttpDaemonFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Health_is_200_with_each_streams_state()
    {
        using var response = await Client.GetAsync("/api/health");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ok", body.GetProperty("status").GetString());
        Assert.StartsWith("0.1.0", body.GetProperty("version").GetString(), StringComparison.Ordinal);
        Assert.True(body.GetProperty("uptimeSeconds").GetDouble() > 0);
        var cam0 = body.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "cam0");
        Assert.Equal("running", cam0.GetProperty("state").GetString());
    }

    [Fact]
    public async Task A_stream_reports_configuration_measured_rates_totals_and_urls()
    {
        // The sampler needs a few seconds of history for steady rates.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var list = await fixture.GetJsonAsync("/api/streams");
        var cam0 = list.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("name").GetString() == "cam0");
        var single = await fixture.GetJsonAsync("/api/streams/CAM0");

        Assert.Equal("cam0", single.GetProperty("name").GetString());
        Assert.Equal(
            ["name", "state", "source", "encoder", "configured", "measured", "frames", "drops", "clients", "mjpeg", "lastFrameAt", "startedAt", "uptimeSeconds", "urls"],
            cam0.EnumerateObject().Select(p => p.Name));
        Assert.Equal("testPattern", cam0.GetProperty("source").GetProperty("type").GetString());
        Assert.Equal("x264", cam0.GetProperty("encoder").GetProperty("engine").GetString());
        var configured = cam0.GetProperty("configured");
        Assert.Equal((HttpDaemonFixture.Width, HttpDaemonFixture.Height, 15.0, 400000), (configured.GetProperty("width").GetInt32(), configured.GetProperty("height").GetInt32(), configured.GetProperty("fps").GetDouble(), configured.GetProperty("bitrate").GetInt32()));
        var measured = cam0.GetProperty("measured");
        var fps = measured.GetProperty("captureFps").GetDouble();
        Assert.InRange(fps, 12, 18);
        Assert.InRange(measured.GetProperty("encodeFps").GetDouble(), 12, 18);
        Assert.InRange(measured.GetProperty("bitrate").GetDouble(), 20_000, 2_000_000);
        Assert.InRange(measured.GetProperty("windowSeconds").GetDouble(), 1, 6);
        var frames = cam0.GetProperty("frames");
        Assert.True(frames.GetProperty("captured").GetInt64() > 30);
        Assert.True(frames.GetProperty("encoded").GetInt64() > 30);
        Assert.Equal(["oversize", "viewerQueueFull", "encoderError", "captureLate"], cam0.GetProperty("drops").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["rtspTcp", "rtspUdp", "rtspMulticast", "mjpeg", "webRtc", "publish", "record", "total"], cam0.GetProperty("clients").EnumerateObject().Select(p => p.Name));
        var lastFrame = cam0.GetProperty("lastFrameAt").GetDateTimeOffset();
        Assert.InRange(DateTimeOffset.UtcNow - lastFrame, TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(2));
        Assert.True(cam0.GetProperty("uptimeSeconds").GetDouble() > 1);
        var urls = cam0.GetProperty("urls");
        Assert.Equal($"rtsp://127.0.0.1:{fixture.Daemon.RtspPort}/cam0", urls.GetProperty("rtsp").GetString());
        Assert.Equal("/streams/cam0/mjpeg", urls.GetProperty("mjpeg").GetString());
        Assert.Equal("/streams/cam0/snapshot.jpg", urls.GetProperty("snapshot").GetString());
    }

    [Fact]
    public async Task An_unknown_stream_is_a_404_problem_naming_the_field()
    {
        using var response = await Client.GetAsync("/api/streams/nope");

        var problem = await ReadProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("\"nope\"", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("name", problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task Changes_need_the_bearer_token()
    {
        foreach (var (method, path) in new[] { (HttpMethod.Post, "/api/streams"), (HttpMethod.Delete, "/api/streams/cam0"), (HttpMethod.Post, "/api/streams/cam0/stop"), (HttpMethod.Post, "/api/streams/cam0/start") })
        {
            foreach (var token in new[] { null, "wrong-token", HttpDaemonFixture.Token + "x" })
            {
                using var request = HttpDaemonFixture.WithToken(method, path, token);
                using var response = await Client.SendAsync(request);
                var problem = await ReadProblemAsync(response, HttpStatusCode.Unauthorized);
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
                Assert.Equal("Authorization", problem.GetProperty("errors")[0].GetProperty("field").GetString());
            }
        }

        // Reads stay open; cam0 was never touched.
        Assert.Equal("running", (await fixture.GetJsonAsync("/api/streams/cam0")).GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("""{ "name": "bad name", "source": { "type": "testPattern" } }""", "name", "must be 1 to 64 characters")]
    [InlineData("""{ "name": "w1", "source": { "type": "testPattern", "width": 641 } }""", "source.width", "positive even number")]
    [InlineData("""{ "name": "w2", "source": { "type": "testPattern", "widht": 640 } }""", "source.widht", "unknown key")]
    [InlineData("""{ "name": "w3", "source": { "type": "testPattern", "fps": "fast" } }""", "source.fps", "must be a number")]
    [InlineData("""{ "name": "w4" }""", "source.type", "required")]
    [InlineData("""{ "name": "CAM0", "source": { "type": "testPattern" } }""", "name", "duplicate stream name")]
    [InlineData("""{ "name": "w5", "source": { "type": "testPattern" }, "encoder": { "bitrate": 5 } }""", "encoder.bitrate", "between 10000 and 100000000")]
    [InlineData("""[1, 2]""", "(body)", "must be a JSON object")]
    [InlineData("""{ "name": "w6", """, "(body)", "invalid JSON")]
    public async Task A_bad_stream_is_a_400_problem_naming_the_field(string body, string field, string message)
    {
        using var request = HttpDaemonFixture.WithToken(HttpMethod.Post, "/api/streams");
        request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        using var response = await Client.SendAsync(request);

        var problem = await ReadProblemAsync(response, HttpStatusCode.BadRequest);
        var error = problem.GetProperty("errors").EnumerateArray().First(e => e.GetProperty("field").GetString() == field);
        Assert.Contains(message, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single((await fixture.GetJsonAsync("/api/streams")).GetProperty("streams").EnumerateArray());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        using var request = HttpDaemonFixture.WithToken(HttpMethod.Post, "/api/streams");
        request.Content = new StringContent("name=x", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await Client.SendAsync(request);

        var problem = await ReadProblemAsync(response, HttpStatusCode.UnsupportedMediaType);
        Assert.Equal("Content-Type", problem.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task A_stream_added_through_the_api_runs_stops_starts_and_is_removed_at_once_runtime_only()
    {
        using (var add = HttpDaemonFixture.WithToken(HttpMethod.Post, "/api/streams"))
        {
            add.Content = new StringContent(
                """{ "name": "api1", "source": { "type": "testPattern", "width": 160, "height": 120, "fps": 10 }, "encoder": { "engine": "x264", "bitrate": 200000 } }""",
                System.Text.Encoding.UTF8,
                "application/json");
            using var response = await Client.SendAsync(add);
            var change = await ReadChangeAsync(response, HttpStatusCode.Created, "api1", "added");
            Assert.Equal("/api/streams/api1", response.Headers.Location?.OriginalString);
            Assert.Contains("runtime only", change.GetProperty("note").GetString(), StringComparison.Ordinal);
        }

        try
        {
            await HttpDaemonFixture.WaitUntilAsync(async () => (await fixture.GetJsonAsync("/api/streams/api1")).GetProperty("state").GetString() == "running", "api1 running");
            Assert.Equal(2, (await fixture.GetJsonAsync("/api/streams")).GetProperty("streams").GetArrayLength());

            using (var stop = HttpDaemonFixture.WithToken(HttpMethod.Post, "/api/streams/api1/stop"))
            using (var response = await Client.SendAsync(stop))
            {
                var change = await ReadChangeAsync(response, HttpStatusCode.OK, "api1", "stopped");
                Assert.Equal("stopped", change.GetProperty("state").GetString());
            }

            var captured = (await fixture.GetJsonAsync("/api/streams/api1")).GetProperty("frames").GetProperty("captured").GetInt64();
            await Task.Delay(300);
            var stopped = await fixture.GetJsonAsync("/api/streams/api1");
            Assert.Equal("stopped", stopped.GetProperty("state").GetString());
            Assert.Equal(captured, stopped.GetProperty("frames").GetProperty("captured").GetInt64());

            using (var start = HttpDaemonFixture.WithToken(HttpMethod.Post, "/api/streams/api1/start"))
            using (var response = await Client.SendAsync(start))
            {
                await ReadChangeAsync(response, HttpStatusCode.OK, "api1", "started");
            }

            await HttpDaemonFixture.WaitUntilAsync(async () => (await fixture.GetJsonAsync("/api/streams/api1")).GetProperty("frames").GetProperty("captured").GetInt64() > captured, "api1 capturing again");
        }
        finally
        {
            using var remove = HttpDaemonFixture.WithToken(HttpMethod.Delete, "/api/streams/api1");
            using var response = await Client.SendAsync(remove);
            await ReadChangeAsync(response, HttpStatusCode.OK, "api1", "removed");
        }

        using var gone = await Client.GetAsync("/api/streams/api1");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var removeAgain = HttpDaemonFixture.WithToken(HttpMethod.Delete, "/api/streams/api1");
        using var again = await Client.SendAsync(removeAgain);
        await ReadProblemAsync(again, HttpStatusCode.NotFound);
    }

    private static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("detail").GetString()));
        Assert.Equal(JsonValueKind.Array, problem.GetProperty("errors").ValueKind);
        return problem.Clone();
    }

    private static async Task<JsonElement> ReadChangeAsync(HttpResponseMessage response, HttpStatusCode status, string stream, string action)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        var change = JsonDocument.Parse(text).RootElement;
        Assert.Equal(stream, change.GetProperty("stream").GetString());
        Assert.Equal(action, change.GetProperty("action").GetString());
        Assert.False(change.GetProperty("persisted").GetBoolean());
        return change.Clone();
    }
}
