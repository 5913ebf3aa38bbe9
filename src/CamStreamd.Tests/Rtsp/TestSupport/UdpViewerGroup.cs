using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using CamStreamd.Rtsp;

namespace CamStreamd.Tests.Rtsp.TestSupport;

/// <summary>
/// Viewers of one harness over RTP/AVP UDP, each set up and played in turn (so the fan-out serves
/// them in that order), reading their packets until disposed.
/// </summary>
internal sealed class UdpViewerGroup : IAsyncDisposable
{
    private readonly RtspTestHarness _harness;
    private readonly List<UdpRtpViewer> _viewers = [];
    private readonly List<RawRtspClient> _clients = [];
    private readonly List<Task> _readers = [];
    private readonly CancellationTokenSource _stop = new();

    private UdpViewerGroup(RtspTestHarness harness) => _harness = harness;

    /// <summary>Sets up and plays <paramref name="count"/> viewers, then waits until each has 10 frames.</summary>
    public static async Task<UdpViewerGroup> StartAsync(RtspTestHarness harness, int count)
    {
        var group = new UdpViewerGroup(harness);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var viewer = UdpRtpViewer.Bind();
                group._viewers.Add(viewer);
                var client = new RawRtspClient(harness.Port);
                group._clients.Add(client);
                var setup = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", $"Transport: RTP/AVP;unicast;client_port={viewer.RtpPort}-{viewer.RtpPort + 1}");
                Assert.Equal(200, setup.Status);
                viewer.SessionId = setup["Session"]!.Split(';')[0];
                viewer.Ssrc = RtspServerRtcpTests.ParseSsrc(setup["Transport"]!);
                viewer.ServerRtcpPort = int.Parse(Regex.Match(setup["Transport"]!, @"server_port=\d+-(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
                Assert.Equal(200, (await client.RequestAsync("PLAY", harness.Url, "Session: " + viewer.SessionId)).Status);
                group._readers.Add(viewer.ReadAsync(group._stop.Token));
            }

            await RtspServerRtcpTests.WaitForAsync(() => group._viewers.All(v => v.Frames >= 10) ? "all under way" : null);
            return group;
        }
        catch
        {
            await group.DisposeAsync();
            throw;
        }
    }

    /// <summary>The viewers, in the order they were played.</summary>
    public IReadOnlyList<UdpRtpViewer> Members => _viewers;

    /// <summary>Puts a <see cref="RefusingBatchPort"/> between the fan-out's batches and the server's shared port on loopback.</summary>
    public RefusingBatchPort RefuseThroughBatchPort()
    {
        var ports = _harness.Server.UdpPorts.For(IPAddress.Loopback) ?? throw new InvalidOperationException("no shared UDP port on loopback");
        var port = new RefusingBatchPort(ports);
        ports.BatchPort = port;
        return port;
    }

    /// <summary>Viewer <paramref name="index"/>'s RTP address as the server's messages name it (a native sockaddr).</summary>
    public byte[] Address(int index)
    {
        var sockaddr = new byte[32];
        var length = UdpBatchSender.WriteSockaddr(new IPEndPoint(IPAddress.Loopback, _viewers[index].RtpPort), sockaddr);
        return sockaddr[..(int)length];
    }

    /// <summary>Times viewer <paramref name="index"/>'s session drained on its own.</summary>
    public long Drains(int index) =>
        _harness.Server.TryGetSession(_viewers[index].SessionId, out var session) ? session.Sender.Drains : -1;

    /// <summary>Waits until <paramref name="frames"/> more frames are published and every viewer has them (bar the last two in flight); returns them and the change in <paramref name="calls"/>.</summary>
    public async Task<(long Published, int Calls)> DeliverAsync(int frames, Func<int> calls)
    {
        var callsBefore = calls();
        var publishedBefore = _harness.Publisher.Published;
        var before = _viewers.Select(v => v.Frames).ToArray();
        await RtspServerRtcpTests.WaitForAsync(() => _harness.Publisher.Published >= publishedBefore + frames ? "published" : null);
        var published = _harness.Publisher.Published - publishedBefore;
        await RtspServerRtcpTests.WaitForAsync(() => _viewers.Select((v, i) => v.Frames - before[i]).All(d => d >= published - 2) ? "delivered" : null);
        return (published, calls() - callsBefore);
    }

    /// <summary>Every viewer got every packet once: no duplicate, no gap in the sequence numbers.</summary>
    public void AssertEveryPacketOnce()
    {
        foreach (var viewer in _viewers)
        {
            Assert.True(viewer.Duplicates == 0 && viewer.Gaps == 0, $"viewer on port {viewer.RtpPort}: {viewer.Duplicates} duplicate and {viewer.Gaps} missing packets");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var viewer in _viewers)
        {
            viewer.Dispose();
        }

        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await Task.WhenAll(_readers).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }
}
