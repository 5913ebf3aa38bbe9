using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using CamStreamd.Tests.EndToEnd;
using CamStreamd.Tests.Publish;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Recording;

/// <summary>
/// The recorder in a running daemon: segments cut on IDRs at the configured length (ffprobe:
/// duration, first frame a keyframe, decodes without error), the recordings API (list, download
/// with Range, delete), retention, and <c>kill -9</c> mid-segment leaving a file readable up to its
/// last part.
/// </summary>
public sealed class RecordingTests : IDisposable
{
    private const int SegmentSeconds = 2;
    private const int Gop = 15; // 0.5 s at 30 fps: a segment ends within half a second after its length
    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-rec-").FullName;
    private readonly ITestOutputHelper _output;

    public RecordingTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A test-pattern stream recording to <paramref name="path"/> with the given record settings.</summary>
    public static string Config(string name, string path, string record, int width = 320, int height = 240, int bitrate = 400_000, int gop = Gop) => $$"""
        {
          "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
          "http": { "listenAddress": "127.0.0.1", "port": 0 },
          "streams": [
            { "name": "{{name}}",
              "source": { "type": "testPattern", "width": {{width}}, "height": {{height}}, "fps": 30 },
              "encoder": { "engine": "x264", "bitrate": {{bitrate}}, "gop": {{gop}} },
              "record": { "path": "{{path}}", {{record}} } }
          ]
        }
        """;

    [Fact]
    public async Task Segments_are_cut_on_IDRs_at_the_configured_length_and_served_by_the_API()
    {
        await using var daemon = await DaemonProcess.StartAsync(Config("rec", _directory, $"\"segmentSeconds\": {SegmentSeconds}, \"partSeconds\": 0.5"));
        using var api = new HttpClient { BaseAddress = daemon.HttpBase, Timeout = TimeSpan.FromSeconds(20) };
        var list = await WaitForSegmentsAsync(api, "rec", finished: 3, TimeSpan.FromSeconds(60), daemon);
        _output.WriteLine(list.ToString());
        var segments = list.GetProperty("segments").EnumerateArray().ToList();
        Assert.True(segments[^1].GetProperty("recording").GetBoolean(), "the last segment is the one being recorded");
        foreach (var segment in segments.Where(s => !s.GetProperty("recording").GetBoolean()))
        {
            var file = segment.GetProperty("file").GetString()!;
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}(-\d+)?\.mp4$", file);
            var path = Path.Combine(_directory, "rec", file);
            var (frames, width, height, duration) = await H264Probe.CountAsync(path);
            _output.WriteLine($"{file}: {frames} frames, {duration:F3} s, {new FileInfo(path).Length} bytes");
            Assert.Equal((320, 240), (width, height));

            // Cut at the first IDR at or after 2 s: 2.0 up to 2.5 s (one GOP), frames to match.
            Assert.InRange(duration, SegmentSeconds - 0.05, SegmentSeconds + 0.55);
            Assert.InRange(frames, (SegmentSeconds * 30) - 2, (SegmentSeconds + 0.5) * 30 + 2);
            Assert.True(await H264Probe.FirstFrameIsKeyAsync(path), $"{file} does not start on a keyframe");
            Assert.Equal(string.Empty, await H264Probe.DecodeErrorsAsync(path));
            Assert.Equal(new FileInfo(path).Length, segment.GetProperty("size").GetInt64());
        }

        // Download with Range, then whole.
        var first = segments[0];
        var url = first.GetProperty("url").GetString()!;
        var bytes = await File.ReadAllBytesAsync(Path.Combine(_directory, "rec", first.GetProperty("file").GetString()!));
        using (var request = new HttpRequestMessage(HttpMethod.Get, url))
        {
            request.Headers.Range = new RangeHeaderValue(8, 107);
            using var partial = await api.SendAsync(request);
            Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
            Assert.Equal(bytes.AsSpan(8, 100).ToArray(), await partial.Content.ReadAsByteArrayAsync());
            Assert.Equal("video/mp4", partial.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(bytes, await api.GetByteArrayAsync(url));
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/recordings/rec/..%2F..%2Fetc%2Fpasswd")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/recordings/rec/2020-01-01T00-00-00.mp4")).StatusCode);

        // Delete: a finished segment goes, the one being recorded is refused.
        using (var deleted = await api.DeleteAsync(url))
        {
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        }

        Assert.False(File.Exists(Path.Combine(_directory, "rec", first.GetProperty("file").GetString()!)));
        var current = (await ListAsync(api, "rec")).GetProperty("segments").EnumerateArray().Last(s => s.GetProperty("recording").GetBoolean());
        using (var refused = await api.DeleteAsync(current.GetProperty("url").GetString()))
        {
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        }

        var info = await GetJsonAsync(api, "/api/streams/rec");
        Assert.Equal(1, info.GetProperty("clients").GetProperty("record").GetInt32());
        Assert.True(info.GetProperty("recording").GetProperty("framesWritten").GetInt64() > 3 * SegmentSeconds * 30);
    }

    [Fact]
    public async Task Retention_deletes_segments_older_than_retentionSeconds()
    {
        await using var daemon = await DaemonProcess.StartAsync(Config("ret", _directory, "\"segmentSeconds\": 1, \"partSeconds\": 0.5, \"retentionSeconds\": 3"));
        using var api = new HttpClient { BaseAddress = daemon.HttpBase, Timeout = TimeSpan.FromSeconds(20) };
        await WaitUntilAsync(async () => (await GetJsonAsync(api, "/api/streams/ret")).GetProperty("recording").GetProperty("deletedForRetention").GetInt64() >= 3, "three segments deleted for retention", TimeSpan.FromSeconds(60), daemon);
        var list = await ListAsync(api, "ret");
        _output.WriteLine(list.ToString());
        var now = DateTimeOffset.UtcNow;
        foreach (var segment in list.GetProperty("segments").EnumerateArray())
        {
            var end = segment.GetProperty("start").GetDateTimeOffset() + TimeSpan.FromSeconds(segment.GetProperty("durationSeconds").GetDouble());

            // Housekeeping runs once a second and at each new segment: nothing ended more than 3 s + 2 s ago.
            Assert.True(now - end < TimeSpan.FromSeconds(5), $"{segment.GetProperty("file")} ended {(now - end).TotalSeconds:F1} s ago, beyond retention");
        }

        Assert.InRange(list.GetProperty("segments").GetArrayLength(), 2, 7);
        Assert.Contains("older than retentionSeconds", daemon.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_daemon_killed_mid_segment_leaves_a_file_readable_up_to_its_last_part()
    {
        var daemon = await DaemonProcess.StartAsync(Config("kill", _directory, "\"segmentSeconds\": 60, \"partSeconds\": 0.5"));
        try
        {
            using var api = new HttpClient { BaseAddress = daemon.HttpBase, Timeout = TimeSpan.FromSeconds(20) };
            await WaitUntilAsync(async () => (await GetJsonAsync(api, "/api/streams/kill")).GetProperty("recording").GetProperty("framesWritten").GetInt64() >= 100, "100 frames recorded", TimeSpan.FromSeconds(60), daemon);
            var written = (await GetJsonAsync(api, "/api/streams/kill")).GetProperty("recording").GetProperty("framesWritten").GetInt64();
            Process.GetProcessById(daemon.ProcessId).Kill(); // SIGKILL
        }
        finally
        {
            await daemon.DisposeAsync();
        }

        var file = Assert.Single(Directory.GetFiles(Path.Combine(_directory, "kill"), "*.mp4"));
        var (frames, width, height, duration) = await H264Probe.CountAsync(file);
        _output.WriteLine($"{file}: {frames} frames, {duration:F3} s, {new FileInfo(file).Length} bytes after SIGKILL");

        // Every part (0.5 s, 15 frames) finished before the kill is there; at most the part being written is lost.
        Assert.Equal((320, 240), (width, height));
        Assert.True(frames >= 100 - 16, $"only {frames} frames readable after the kill, 100 were written before it");
        Assert.True(await H264Probe.FirstFrameIsKeyAsync(file));
        Assert.Equal(string.Empty, await H264Probe.DecodeErrorsAsync(file));
    }

    internal static async Task<JsonElement> GetJsonAsync(HttpClient api, string path)
    {
        using var response = await api.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    internal static Task<JsonElement> ListAsync(HttpClient api, string stream) => GetJsonAsync(api, $"/api/streams/{stream}/recordings");

    internal static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, DaemonProcess daemon)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(stopwatch.Elapsed < timeout, $"timed out after {timeout.TotalSeconds} s waiting for {what}\n{daemon.Output}");
            await Task.Delay(200);
        }
    }

    private static async Task<JsonElement> WaitForSegmentsAsync(HttpClient api, string stream, int finished, TimeSpan timeout, DaemonProcess daemon)
    {
        JsonElement list = default;
        await WaitUntilAsync(
            async () =>
            {
                list = await ListAsync(api, stream);
                return list.GetProperty("segments").EnumerateArray().Count(s => !s.GetProperty("recording").GetBoolean()) >= finished;
            },
            $"{finished} finished segments",
            timeout,
            daemon);
        return list;
    }
}
