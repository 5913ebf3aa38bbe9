namespace CamStreamd.Tests.Http;

/// <summary><c>/metrics</c> of a running daemon, read by a strict exposition-format parser.</summary>
[Collection(HttpDaemonGroup.Name)]
public sealed class MetricsTests(HttpDaemonFixture fixture)
{
    [Fact]
    public async Task Metrics_are_valid_prometheus_text_with_stream_and_process_families()
    {
        // A snapshot first, so the MJPEG and sent counters have something in them.
        (await fixture.Client.GetAsync("/streams/cam0/snapshot.jpg")).Dispose();

        // Run alone right after the daemon starts, the first read can come before ten frames or a
        // full rate window: read again until the stream has that much history (the rate itself is
        // still asserted below), for at most 30 s.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage response;
        string text;
        while (true)
        {
            response = await fixture.Client.GetAsync("/metrics");
            text = await response.Content.ReadAsStringAsync();
            var sample = PrometheusTextParser.Parse(text);
            if ((sample.Value("camstreamd_frames_encoded_total", ("stream", "cam0")) > 10
                    && sample.Value("camstreamd_capture_frames_per_second", ("stream", "cam0")) >= 10)
                || DateTime.UtcNow > deadline)
            {
                break;
            }

            response.Dispose();
            await Task.Delay(250);
        }

        using var _ = response;

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(response.Content.Headers.ContentType!.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        var metrics = PrometheusTextParser.Parse(text);

        Assert.All(metrics.Types.Where(t => t.Value == "counter"), t => Assert.EndsWith("_total", t.Key, StringComparison.Ordinal));
        Assert.All(metrics.Types.Keys, name => Assert.True(name.StartsWith("camstreamd_", StringComparison.Ordinal) || name.StartsWith("process_", StringComparison.Ordinal) || name.StartsWith("dotnet_", StringComparison.Ordinal), name));
        Assert.All(metrics.Samples, s => Assert.True(metrics.Types.ContainsKey(s.Name), $"{s.Name} has no TYPE line"));

        var cam0 = ("stream", "cam0");
        Assert.True(metrics.Value("camstreamd_frames_captured_total", cam0) > 10);
        Assert.True(metrics.Value("camstreamd_frames_encoded_total", cam0) > 10);
        Assert.True(metrics.Value("camstreamd_sent_bytes_total", cam0) > 1000);
        Assert.True(metrics.Value("camstreamd_mjpeg_pictures_total", cam0) >= 1);
        Assert.Equal(0, metrics.Value("camstreamd_frames_dropped_total", cam0, ("reason", "oversize")));
        Assert.Equal(0, metrics.Value("camstreamd_frames_dropped_total", cam0, ("reason", "encoderError")));
        Assert.Equal(0, metrics.Value("camstreamd_clients", cam0, ("protocol", "rtspTcp")));
        Assert.Equal(1, metrics.Value("camstreamd_encoder_info", cam0, ("configured", "x264"), ("engine", "x264")));
        Assert.Equal(1, metrics.Value("camstreamd_stream_state", cam0, ("state", "running")));
        Assert.InRange(metrics.Value("camstreamd_capture_frames_per_second", cam0), 10, 20);
        Assert.Equal(0, metrics.Value("camstreamd_rtcp_packets_lost_total", cam0));
        Assert.Equal("counter", metrics.Types["process_cpu_seconds_total"]);
        Assert.True(metrics.Value("process_cpu_seconds_total") > 0);
        Assert.True(metrics.Value("process_resident_memory_bytes") > 10_000_000);
        Assert.True(metrics.Value("process_open_fds") > 3);
        var start = DateTimeOffset.FromUnixTimeMilliseconds((long)(metrics.Value("process_start_time_seconds") * 1000));
        Assert.InRange(DateTimeOffset.UtcNow - start, TimeSpan.Zero, TimeSpan.FromMinutes(10));
    }

    [Theory]
    [InlineData("# TYPE a gauge\na 1", "line feed")]
    [InlineData("# TYPE a counter\na -1\n", "value")]
    [InlineData("# TYPE a gauge\na{x=\"1\"} 1\n# TYPE b gauge\nb 1\na{x=\"2\"} 1\n", "one group")]
    [InlineData("# TYPE a gauge\na{x=\"\\t\"} 1\n", "bad escape")]
    [InlineData("# TYPE a gauge\na{x=\"1\"} 1\na{x=\"1\"} 2\n", "duplicate series")]
    [InlineData("# TYPE a gauge\na 1,5\n", "bad value")]
    [InlineData("# TYPE 1a gauge\n", "bad metric name")]
    public void The_parser_rejects_what_the_format_forbids(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => PrometheusTextParser.Parse(text));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
