using CamStreamd.Tests.EndToEnd;

namespace CamStreamd.Tests.Http;

/// <summary>
/// <c>dotnet_gc_heap_bytes</c> before the first garbage collection: an idle NativeAOT daemon may
/// never collect, and a heap size read from the last collection's info reads 0 until one has run.
/// </summary>
public sealed class GcHeapMetricTests
{
    [Fact]
    public async Task The_managed_heap_metric_is_nonzero_on_a_daemon_that_has_not_collected_yet()
    {
        // A 256 MiB gen0 budget (the knob's value is hex): start-up and a first scrape allocate far
        // less, so no collection runs before the read below, as on an idle daemon.
        await using var daemon = await DaemonProcess.StartAsync(
            """
            {
              "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
              "http": { "listenAddress": "127.0.0.1", "port": 0 },
              "webrtc": { "enabled": false },
              "streams": [ { "name": "cam0", "source": { "type": "testPattern", "width": 160, "height": 120, "fps": 5 }, "encoder": { "engine": "x264", "gop": 5 } } ]
            }
            """,
            environment: new Dictionary<string, string> { ["DOTNET_GCgen0size"] = "10000000" });
        using var http = new HttpClient { BaseAddress = daemon.HttpBase };

        var metrics = PrometheusTextParser.Parse(await http.GetStringAsync("/metrics"));

        Assert.Equal("gauge", metrics.Types["dotnet_gc_heap_bytes"]);
        // Kestrel, the host and the stream's pipeline hold megabytes of managed objects by now.
        Assert.True(metrics.Value("dotnet_gc_heap_bytes") > 1_000_000, $"dotnet_gc_heap_bytes {metrics.Value("dotnet_gc_heap_bytes")}");
    }
}
