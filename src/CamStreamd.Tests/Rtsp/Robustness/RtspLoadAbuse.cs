using System.Net;
using System.Net.Sockets;
using CamStreamd.Rtsp;

namespace CamStreamd.Tests.Rtsp.Robustness;

/// <summary>Many connections, the connection limit, and clients that vanish mid-PLAY.</summary>
internal static class RtspLoadAbuse
{
    /// <summary>Connections opened at once per batch (the listen backlog is 128).</summary>
    private const int ConnectBatch = 50;

    /// <summary>
    /// Opens <paramref name="count"/> connections that stay open together, each answered OPTIONS
    /// and some DESCRIBE; the server counts them all, then none once they are closed.
    /// </summary>
    public static async Task ManyConnectionsAsync(RtspServer server, string url, int count)
    {
        var port = server.LocalEndPoint.Port;
        var clients = new List<RtspWireClient>(count);
        try
        {
            for (var opened = 0; opened < count; opened += ConnectBatch)
            {
                clients.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(ConnectBatch, count - opened)).Select(_ => RtspWireClient.ConnectAsync(port))));
            }

            var answers = await Task.WhenAll(clients.Select((c, i) => i % 10 == 0
                ? c.RequestAsync("DESCRIBE", url, 1, "Accept: application/sdp")
                : c.RequestAsync("OPTIONS", "*", 1)));
            Assert.All(answers, a => Assert.Equal(200, a.Status));
            Assert.True(server.ConnectionCount >= count, $"{server.ConnectionCount} connections counted with {count} open");
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>
    /// With the limit's worth of connections open (read from the server's options), each holding a
    /// session (so none can be evicted) and spread over addresses within their per-address share,
    /// one more is answered 503 and closed; once one closes, a new one is served again.
    /// </summary>
    public static async Task OverTheLimitAsync(RtspServer server, string url)
    {
        var port = server.LocalEndPoint.Port;
        var limit = server.Options.MaxConnections;
        var share = server.Budget.PerAddressLimit;
        var clients = new List<RtspWireClient>(limit);
        try
        {
            for (var opened = 0; opened < limit; opened += ConnectBatch)
            {
                var batch = await Task.WhenAll(Enumerable.Range(opened, Math.Min(ConnectBatch, limit - opened))
                    .Select(i => RtspWireClient.ConnectAsync(port, from: Host(2 + (i / share)))));
                clients.AddRange(batch);

                // Answered means registered: the next batch cannot overtake this one.
                Assert.All(
                    await Task.WhenAll(batch.Select(c => c.RequestAsync("SETUP", url + "/trackID=0", 1, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"))),
                    r => Assert.Equal(200, r.Status));
            }

            Assert.Equal(limit, server.ConnectionCount);
            Assert.Equal(limit, server.Budget.Count);
            using (var extra = await RtspWireClient.ConnectAsync(port, from: Host(1)))
            {
                var refused = await extra.RequestAsync("OPTIONS", "*", 1);
                Assert.Equal(503, refused.Status);
                Assert.True(await extra.IsClosedByServerAsync(TimeSpan.FromSeconds(5)), "a refused connection stays open");
            }

            Assert.Equal(0, server.Budget.Evicted);
            Assert.Equal(1, server.Budget.RefusedFull);
            clients[0].Dispose();
            await ServerRecovery.WaitUntilAsync(() => server.Budget.Count < limit, TimeSpan.FromSeconds(5), () => $"{server.Budget.Count} connections held after one of {limit} closed");
            using var next = await RtspWireClient.ConnectAsync(port, from: Host(1));
            Assert.Equal(200, (await next.RequestAsync("OPTIONS", "*", 1)).Status);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>127.0.(n / 250).(n % 250 + 1): loopback addresses that play distinct hosts.</summary>
    public static IPAddress Host(int n) => new([127, 0, (byte)(n / 250), (byte)((n % 250) + 1)]);

    /// <summary>
    /// Clients that reset (TCP RST) mid-PLAY over TCP and over UDP, while the server is blocked
    /// writing to them, in the middle of a request, and right after PLAY before reading its answer.
    /// </summary>
    public static async Task AbruptDisconnectsAsync(int port, string url)
    {
        var tasks = new List<Task>();
        for (var i = 0; i < 8; i++)
        {
            tasks.Add(ResetWhilePlayingOverTcpAsync(port, url, readFirst: 20, receiveBufferSize: null));
        }

        for (var i = 0; i < 4; i++)
        {
            tasks.Add(ResetWhilePlayingOverTcpAsync(port, url, readFirst: 0, receiveBufferSize: 4096));
            tasks.Add(ResetWhilePlayingOverUdpAsync(port, url));
            tasks.Add(ResetMidRequestAsync(port, url));
        }

        for (var i = 0; i < 2; i++)
        {
            tasks.Add(ResetAfterPlayWithoutReadingAsync(port, url));
        }

        await Task.WhenAll(tasks);
    }

    private static async Task ResetWhilePlayingOverTcpAsync(int port, string url, int readFirst, int? receiveBufferSize)
    {
        var client = await RtspWireClient.ConnectAsync(port, receiveBufferSize);
        var setup = await client.RequestAsync("SETUP", url + "/trackID=0", 1, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        Assert.Equal(200, (await client.RequestAsync("PLAY", url, 2, "Session: " + setup.Session)).Status);
        if (readFirst > 0)
        {
            await RtspAbuse.ExpectRtpAsync(client, readFirst);
        }
        else
        {
            await Task.Delay(500); // Reads nothing: the server's writes back up.
        }

        client.Reset();
    }

    private static async Task ResetWhilePlayingOverUdpAsync(int port, string url)
    {
        using var rtp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var rtpPort = ((IPEndPoint)rtp.Client.LocalEndPoint!).Port;
        var client = await RtspWireClient.ConnectAsync(port);
        var setup = await client.RequestAsync("SETUP", url + "/trackID=0", 1, $"Transport: RTP/AVP;unicast;client_port={rtpPort}-{rtpPort + 1}");
        Assert.Equal(200, setup.Status);
        Assert.Equal(200, (await client.RequestAsync("PLAY", url, 2, "Session: " + setup.Session)).Status);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 10; i++)
        {
            var datagram = await rtp.ReceiveAsync(cts.Token);
            Assert.Equal(2, datagram.Buffer[0] >> 6);
        }

        // The UDP session outlives its control connection (RFC 2326 §3.4) until the session timeout.
        client.Reset();
    }

    private static async Task ResetMidRequestAsync(int port, string url)
    {
        var client = await RtspWireClient.ConnectAsync(port);
        var setup = RtspWireClient.Request("SETUP", url + "/trackID=0", 1, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        await client.SendAsync(setup[..(setup.Length / 2)]);
        await Task.Delay(20);
        client.Reset();
    }

    private static async Task ResetAfterPlayWithoutReadingAsync(int port, string url)
    {
        var client = await RtspWireClient.ConnectAsync(port);
        var setup = await client.RequestAsync("SETUP", url + "/trackID=0", 1, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        await client.SendAsync(RtspWireClient.Request("PLAY", url, 2, "Session: " + setup.Session));
        client.Reset();
    }
}
