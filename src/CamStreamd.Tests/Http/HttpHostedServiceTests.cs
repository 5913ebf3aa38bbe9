using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CamStreamd.Configuration;
using CamStreamd.Hosting;
using CamStreamd.Http;
using CamStreamd.Media;
using CamStreamd.Streams;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CamStreamd.Tests.Http;

/// <summary>The HTTP server in the daemon's host, run in-process: start/stop with the host, a taken port, a failed stream.</summary>
[Collection(HttpDaemonGroup.Name)]
public sealed class HttpHostedServiceTests
{
    [Fact]
    public async Task A_taken_port_fails_the_hosts_start_as_unavailable()
    {
        using var taken = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        taken.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        taken.Listen();
        using var host = BuildHost(((IPEndPoint)taken.LocalEndPoint!).Port, fps: 5);

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        Assert.True(StartupFailure.IsUnavailable(error, out var reason), error.ToString());
        Assert.Contains("AddressAlreadyInUse", reason, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task Health_is_503_while_a_stream_has_failed_and_the_server_stops_with_the_host()
    {
        // 1 fps: after a frame the pipeline leaves its state alone for about a second.
        using var host = BuildHost(port: 0, fps: 1);
        await host.StartAsync();
        var port = host.Services.GetRequiredService<HttpHostedService>().LocalEndPoint!.Port;
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        var stream = host.Services.GetRequiredService<StreamSupervisor>().Find("flaky")!;
        try
        {
            HttpResponseMessage? response = null;
            for (var attempt = 0; attempt < 5 && response?.StatusCode != HttpStatusCode.ServiceUnavailable; attempt++)
            {
                response?.Dispose();
                var captured = stream.Counters.FramesCaptured;
                await WaitAsync(() => stream.Counters.FramesCaptured > captured);
                await Task.Delay(50);
                stream.Pipeline.SetState(StreamState.Failed);
                response = await client.GetAsync("/api/health");
            }

            using (response)
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response!.StatusCode);
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal("failed", body.GetProperty("status").GetString());
                Assert.Equal("failed", body.GetProperty("streams")[0].GetProperty("state").GetString());
            }

            // The next frame sets it running again.
            await WaitAsync(() => stream.State == StreamState.Running);
            using var healthy = await client.GetAsync("/api/health");
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
        }
        finally
        {
            await host.StopAsync();
        }

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => client.GetAsync("/api/health"));
    }

    private static IHost BuildHost(int port, int fps)
    {
        var options = ConfigLoader.Parse($$"""
            {
              "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
              "http": { "listenAddress": "127.0.0.1", "port": {{port}} },
              "streams": [ { "name": "flaky", "source": { "type": "testPattern", "width": 64, "height": 48, "fps": {{fps}} }, "encoder": { "engine": "x264", "bitrate": 50000 } } ]
            }
            """).Options;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddCamStreamdServices(options);
        return builder.Build();
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), "timed out");
            await Task.Delay(20);
        }
    }
}
