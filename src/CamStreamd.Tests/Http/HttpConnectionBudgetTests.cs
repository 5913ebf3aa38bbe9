using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using CamStreamd.Tests.EndToEnd;

namespace CamStreamd.Tests.Http;

/// <summary>
/// No client can lock out the others on the HTTP port (issue 20), against a real daemon with small
/// limits: silent and half-sent connections filling <c>http.maxConnections</c> are evicted for the
/// API and a new viewer; one address gets at most a quarter of <c>http.maxMjpegViewers</c>; with the
/// viewers' budget full, <c>/api/health</c> and <c>/metrics</c> still answer. Viewers already playing
/// keep getting pictures throughout. Other 127.x addresses play other hosts.
/// </summary>
public sealed class HttpConnectionBudgetTests
{
    private static string Config(int maxConnections, int maxMjpegViewers) => $$"""
        {
          "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
          "http": { "listenAddress": "127.0.0.1", "port": 0, "maxConnections": {{maxConnections}}, "maxMjpegViewers": {{maxMjpegViewers}},
                    "mjpeg": { "fps": 10, "quality": 50 } },
          "streams": [
            { "name": "cam0",
              "source": { "type": "testPattern", "width": 320, "height": 240, "fps": 15 },
              "encoder": { "engine": "x264", "bitrate": 300000, "gop": 30 } }
          ]
        }
        """;

    private static IPAddress Host(int c, int d) => new([127, 0, (byte)c, (byte)d]);

    [Fact]
    public async Task Silent_and_half_sent_connections_filling_the_port_do_not_keep_out_the_api_or_a_new_viewer()
    {
        // 16 connections, 4 per address; 8 viewers.
        await using var daemon = await DaemonProcess.StartAsync(Config(16, 8));
        using var api = new HttpClient { BaseAddress = daemon.HttpBase, Timeout = TimeSpan.FromSeconds(20) };
        using var first = await StartViewerAsync(daemon, Host(0, 2));
        using var second = await StartViewerAsync(daemon, Host(0, 3));

        // 40 rude connections from 10 hosts (4 each): half silent, half stopping inside their header block.
        var rude = new List<Socket>();
        try
        {
            for (var i = 0; i < 40; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                rude.Add(socket);
                socket.Bind(new IPEndPoint(Host(1, 1 + (i / 4)), 0));
                await socket.ConnectAsync(IPAddress.Loopback, daemon.HttpPort);
                if (i % 2 == 1)
                {
                    await socket.SendAsync(System.Text.Encoding.ASCII.GetBytes("GET /api/health HTTP/1.1\r\nHost: x\r\nAccept: app"));
                }
            }

            var (parts1, parts2) = (first.Parts, second.Parts);
            using (var health = await api.GetAsync("/api/health"))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            using (var metrics = await api.GetAsync("/metrics"))
            {
                Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            }

            using var third = await StartViewerAsync(daemon, Host(0, 4));
            await third.AssertStillPlayingAsync(0);
            await first.AssertStillPlayingAsync(parts1);
            await second.AssertStillPlayingAsync(parts2);

            var http = await BudgetAsync(api, "http");
            Assert.True(http.GetProperty("open").GetInt32() <= 16);
            var closed = http.GetProperty("evicted").GetInt64() + http.GetProperty("closedUnderPressure").GetInt64();
            Assert.True(closed >= 40 + 3 - 16, $"only {closed} rude connections evicted");
            Assert.Equal(0, http.GetProperty("refusedFull").GetInt64());
        }
        finally
        {
            rude.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task One_address_gets_a_quarter_of_the_viewers_and_the_api_answers_while_the_viewers_budget_is_full()
    {
        // 8 viewers, 2 per address; connections (64, 16 per address) are not what is tested here.
        await using var daemon = await DaemonProcess.StartAsync(Config(64, 8));
        using var api = new HttpClient { BaseAddress = daemon.HttpBase, Timeout = TimeSpan.FromSeconds(20) };
        var viewers = new List<MjpegViewerClient>();
        try
        {
            // One host asks for 12 streams: 2 are served, 10 get 503.
            var flood = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => MjpegViewerClient.TryStartAsync(daemon.HttpBase, Host(0, 2))));
            viewers.AddRange(flood.Where(r => r.Viewer is not null).Select(r => r.Viewer!));
            Assert.Equal(2, viewers.Count);
            Assert.All(flood.Where(r => r.Viewer is null), r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status));

            // Other hosts are still served, up to the whole budget.
            foreach (var host in new[] { 3, 3, 4, 4, 5, 5 })
            {
                viewers.Add(await StartViewerAsync(daemon, Host(0, host)));
            }

            var (refused, status) = await MjpegViewerClient.TryStartAsync(daemon.HttpBase, Host(0, 6));
            Assert.Null(refused);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);

            var before = viewers.Select(v => v.Parts).ToList();
            using (var health = await api.GetAsync("/api/health"))
            {
                Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            }

            var metrics = await api.GetStringAsync("/metrics");
            Assert.Contains("camstreamd_connections{budget=\"mjpeg\"} 8\n", metrics, StringComparison.Ordinal);
            Assert.Contains("camstreamd_connections_refused_total{budget=\"mjpeg\",reason=\"per_address\"} 10\n", metrics, StringComparison.Ordinal);
            Assert.Contains("camstreamd_connections_refused_total{budget=\"mjpeg\",reason=\"full\"} 1\n", metrics, StringComparison.Ordinal);
            var mjpeg = await BudgetAsync(api, "mjpeg");
            Assert.Equal((8, 2, 0L), (mjpeg.GetProperty("limit").GetInt32(), mjpeg.GetProperty("perAddressLimit").GetInt32(), mjpeg.GetProperty("evicted").GetInt64()));
            for (var i = 0; i < viewers.Count; i++)
            {
                await viewers[i].AssertStillPlayingAsync(before[i]);
            }

            // A viewer leaving frees its place for the next host.
            viewers[^1].Dispose();
            viewers.RemoveAt(viewers.Count - 1);
            await HttpDaemonFixture.WaitUntilAsync(async () => (await BudgetAsync(api, "mjpeg")).GetProperty("open").GetInt32() == 7, "a place freed");
            viewers.Add(await StartViewerAsync(daemon, Host(0, 6)));
        }
        finally
        {
            viewers.ForEach(v => v.Dispose());
        }
    }

    private static async Task<MjpegViewerClient> StartViewerAsync(DaemonProcess daemon, IPAddress from)
    {
        var (viewer, status) = await MjpegViewerClient.TryStartAsync(daemon.HttpBase, from);
        Assert.True(viewer is not null, $"MJPEG viewer from {from}: {(int)status}");
        return viewer;
    }

    private static async Task<JsonElement> BudgetAsync(HttpClient api, string name)
    {
        var json = JsonDocument.Parse(await api.GetStringAsync("/api/connections")).RootElement;
        return json.GetProperty("budgets").EnumerateArray().Single(b => b.GetProperty("name").GetString() == name).Clone();
    }
}
