using System.Net;
using System.Text.Json;
using CamStreamd.Media.H264;
using CamStreamd.Tests.EndToEnd;
using CamStreamd.Tests.Publish;

namespace CamStreamd.Tests.Http;

/// <summary><c>GET /api/streams/{name}/frame</c> and <c>POST /api/config/streams</c> against a running daemon.</summary>
public sealed class OutputEndpointsTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-frame-").FullName;
    private DaemonProcess _daemon = null!;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _daemon = await DaemonProcess.StartAsync(DaemonProcess.TestPatternConfig(gop: 30));
        _api = new HttpClient { BaseAddress = _daemon.HttpBase, Timeout = TimeSpan.FromSeconds(20) };
    }

    public void Dispose() => _api?.Dispose();

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Frame_is_the_latest_keyframe_with_its_parameter_sets_and_decodes()
    {
        using var response = await _api.GetAsync("/api/streams/cam0/frame");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("video/h264", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var types = new List<int>();
        var reader = new AnnexBReader(bytes);
        while (reader.TryReadNext(out var nal))
        {
            types.Add(AnnexBReader.NalType(nal));
        }

        Assert.Contains(NalUnitType.Sps, types);
        Assert.Contains(NalUnitType.Pps, types);
        Assert.Contains(NalUnitType.IdrSlice, types);
        Assert.DoesNotContain(NalUnitType.NonIdrSlice, types);
        var path = Path.Combine(_directory, "frame.h264");
        await File.WriteAllBytesAsync(path, bytes);
        var (frames, width, height, _) = await H264Probe.CountAsync(path);
        Assert.Equal((1, 640, 360), (frames, width, height));
        Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync("/api/streams/nope/frame")).StatusCode);
    }

    [Fact]
    public async Task Config_streams_adds_a_valid_batch_together()
    {
        using var created = await PostAsync("[" + Stream("batchA") + "," + Stream("batchB") + "]");
        var text = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, text);
        var changes = JsonDocument.Parse(text).RootElement;
        Assert.Equal(["batchA", "batchB"], changes.GetProperty("streams").EnumerateArray().Select(c => c.GetProperty("stream").GetString()));
        Assert.False(changes.GetProperty("persisted").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/streams/batchA")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/streams/batchB")).StatusCode);
    }

    [Fact]
    public async Task Config_streams_adds_nothing_when_any_stream_is_invalid_or_taken()
    {
        // One bad value and a repeated name: 400 naming both, relative to the body; nothing added.
        using (var bad = await PostAsync("[" + Stream("goodOne") + "," + Stream("badOne", 641) + "," + Stream("goodOne") + "]"))
        {
            var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var fields = problem.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("field").GetString()).ToList();
            Assert.Contains("[1].source.width", fields);
            Assert.Contains("[2].name", fields);
        }

        // A name already running: 409, and the valid new one is not added either.
        using (var taken = await PostAsync("[" + Stream("freshOne") + "," + Stream("cam0") + "]"))
        {
            Assert.True(taken.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest, await taken.Content.ReadAsStringAsync());
        }

        using (var notArray = await PostAsync(Stream("lonely")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notArray.StatusCode);
        }

        foreach (var name in (string[])["goodOne", "badOne", "freshOne", "lonely"])
        {
            Assert.Equal(HttpStatusCode.NotFound, (await _api.GetAsync($"/api/streams/{name}")).StatusCode);
        }
    }

    private static string Stream(string name, int width = 320) =>
        $"{{ \"name\": \"{name}\", \"source\": {{ \"type\": \"testPattern\", \"width\": {width}, \"height\": 240, \"fps\": 10 }}, \"encoder\": {{ \"engine\": \"x264\", \"bitrate\": 200000 }} }}";

    private Task<HttpResponseMessage> PostAsync(string body) => _api.PostAsync("/api/config/streams", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
}
