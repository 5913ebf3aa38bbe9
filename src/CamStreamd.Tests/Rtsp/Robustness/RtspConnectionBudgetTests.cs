using System.Net;
using CamStreamd.Rtsp;
using CamStreamd.Tests.Rtsp.TestSupport;
using CamStreamd.Tests.TestSupport;

namespace CamStreamd.Tests.Rtsp.Robustness;

/// <summary>
/// No client can lock out the others (issue 20): with the connection table filled by silent
/// connections, by half-sent requests, or by one address, a new ffmpeg viewer decodes at once and
/// the viewers already playing keep playing; a playing viewer is never evicted for newcomers.
/// Small limits (16 connections, 4 per address) keep it quick; other 127.x addresses play other hosts.
/// </summary>
[Collection(RtspIntegrationGroup.Name)]
public sealed class RtspConnectionBudgetTests
{
    private const int Limit = 16;

    private readonly RtspClipFixture _clips;

    public RtspConnectionBudgetTests(RtspClipFixture clips) => _clips = clips;

    // The pressure sweep is pushed out of the way, so these show eviction alone.
    private static RtspServerOptions Options => new() { MaxConnections = Limit, PressureFirstRequestTimeout = TimeSpan.FromMinutes(1) };

    [Fact]
    public async Task Silent_connections_filling_the_table_do_not_keep_out_a_viewer()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: Options);
        await FloodedTableServesANewViewerAsync(harness, "");
    }

    [Fact]
    public async Task Half_sent_requests_filling_the_table_do_not_keep_out_a_viewer()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: Options);
        await FloodedTableServesANewViewerAsync(harness, $"DESCRIBE {harness.Url} RTSP/1.0\r\nCSeq: 1\r\nAccept: appl");
    }

    [Fact]
    public async Task One_address_cannot_take_more_than_its_share()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: Options);
        var server = harness.Server;
        Assert.Equal(Limit / 4, server.Budget.PerAddressLimit);
        using var viewer = await PlayingViewer.StartAsync(harness.Port, harness.Url, RtspLoadAbuse.Host(1));
        var flood = new List<RtspWireClient>();
        try
        {
            // 100 connections from one host: each newcomer past its share evicts that host's own oldest.
            for (var i = 0; i < 100; i++)
            {
                flood.Add(await RtspWireClient.ConnectAsync(harness.Port, from: RtspLoadAbuse.Host(2)));
            }

            await ServerRecovery.WaitUntilAsync(() => server.Budget.Admitted >= 101, TimeSpan.FromSeconds(10), () => $"{server.Budget.Admitted} admitted");
            Assert.Equal(1 + (Limit / 4), server.Budget.Count);
            Assert.Equal(100 - (Limit / 4), server.Budget.Evicted);

            var packets = viewer.Packets;
            await AssertFfmpegDecodesAtOnceAsync(harness);
            await viewer.AssertStillPlayingAsync(packets);
        }
        finally
        {
            flood.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_playing_viewer_is_never_evicted_by_newcomers()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: Options);
        var server = harness.Server;
        var viewers = new List<PlayingViewer>();
        try
        {
            // The whole table plays: 4 hosts at their share of 4.
            for (var i = 0; i < Limit; i++)
            {
                viewers.Add(await PlayingViewer.StartAsync(harness.Port, harness.Url, RtspLoadAbuse.Host(1 + (i / 4))));
            }

            var before = viewers.Select(v => v.Packets).ToList();

            // 40 newcomers from other hosts and from the playing ones: all refused, none evicts.
            for (var i = 0; i < 40; i++)
            {
                using var newcomer = await RtspWireClient.ConnectAsync(harness.Port, from: RtspLoadAbuse.Host(1 + (i % 8)));
                Assert.Equal(503, (await newcomer.RequestAsync("DESCRIBE", harness.Url, 1)).Status);
            }

            Assert.Equal(0, server.Budget.Evicted);
            Assert.Equal(40, server.Budget.RefusedFull + server.Budget.RefusedPerAddress);
            Assert.True(server.Budget.RefusedPerAddress >= 20, $"{server.Budget.RefusedPerAddress} refused for their address");
            Assert.Equal(Limit, server.SessionCount);
            for (var i = 0; i < viewers.Count; i++)
            {
                await viewers[i].AssertStillPlayingAsync(before[i]);
            }
        }
        finally
        {
            viewers.ForEach(v => v.Dispose());
        }
    }

    [Fact]
    public async Task Under_pressure_silent_connections_are_closed_after_the_short_timeout_only()
    {
        var options = Options with { PressureFirstRequestTimeout = TimeSpan.FromSeconds(1) };
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: options);
        var server = harness.Server;
        var silent = new List<RtspWireClient>();
        try
        {
            // 11 of 16: under the ¾ mark, nobody is closed early.
            for (var i = 0; i < 11; i++)
            {
                silent.Add(await RtspWireClient.ConnectAsync(harness.Port, from: RtspLoadAbuse.Host(1 + (i / 4))));
            }

            await Task.Delay(TimeSpan.FromSeconds(2.5));
            Assert.Equal(0, server.Budget.PressureClosed);
            Assert.Equal(11, server.Budget.Count);

            // The 12th reaches the mark: every connection silent for over 1 s goes at the next reap
            // (the 12th itself too, only if that reap comes over 1 s late; after it, the pressure is gone).
            silent.Add(await RtspWireClient.ConnectAsync(harness.Port, from: RtspLoadAbuse.Host(5)));
            await ServerRecovery.WaitUntilAsync(() => server.Budget.Count <= 1, TimeSpan.FromSeconds(10), () => $"{server.Budget.Count} still held");
            Assert.InRange(server.Budget.PressureClosed, 11, 12);
            Assert.True(await silent[0].IsClosedByServerAsync(TimeSpan.FromSeconds(5)), "a closed connection is still open");
        }
        finally
        {
            silent.ForEach(c => c.Dispose());
        }
    }

    /// <summary>
    /// Two viewers play; then 40 connections from 10 hosts (4 each) send <paramref name="prefix"/>
    /// and nothing more, filling the table; a new ffmpeg viewer (from 127.0.0.1) decodes at once by
    /// evicting the oldest of them, and the two keep playing.
    /// </summary>
    private static async Task FloodedTableServesANewViewerAsync(RtspTestHarness harness, string prefix)
    {
        var server = harness.Server;
        using var first = await PlayingViewer.StartAsync(harness.Port, harness.Url, RtspLoadAbuse.Host(1));
        using var second = await PlayingViewer.StartAsync(harness.Port, harness.Url, RtspLoadAbuse.Host(2));
        var flood = new List<RtspWireClient>();
        try
        {
            for (var i = 0; i < 40; i++)
            {
                var client = await RtspWireClient.ConnectAsync(harness.Port, from: RtspLoadAbuse.Host(10 + (i / 4)));
                flood.Add(client);
                if (prefix.Length > 0)
                {
                    await client.SendAsync(prefix);
                }
            }

            await ServerRecovery.WaitUntilAsync(() => server.Budget.Admitted >= 42, TimeSpan.FromSeconds(10), () => $"{server.Budget.Admitted} admitted");
            Assert.Equal(Limit, server.Budget.Count);
            Assert.Equal(42 - Limit, server.Budget.Evicted);

            var (packets1, packets2) = (first.Packets, second.Packets);
            await AssertFfmpegDecodesAtOnceAsync(harness);
            Assert.True(server.Budget.Evicted >= 42 - Limit + 1, "ffmpeg got in without evicting anyone?");
            await first.AssertStillPlayingAsync(packets1);
            await second.AssertStillPlayingAsync(packets2);
            Assert.Equal(0, server.Budget.RefusedFull + server.Budget.RefusedPerAddress);
        }
        finally
        {
            flood.ForEach(c => c.Dispose());
        }
    }

    /// <summary>
    /// ffmpeg decodes 10 frames over TCP. Without eviction it would get 503 at once and fail (it does
    /// not retry), so its success is the proof that it got in straight away.
    /// </summary>
    private static async Task AssertFfmpegDecodesAtOnceAsync(RtspTestHarness harness)
    {
        var result = await PeerProcess.RunAsync(
            "ffmpeg",
            ["-hide_banner", "-nostats", "-v", "error", .. FfmpegProgress.Arguments, "-rtsp_transport", "tcp", "-i", harness.Url,
             "-frames:v", "10", "-f", "null", "-"],
            TimeSpan.FromSeconds(30));
        Assert.False(result.TimedOut, "ffmpeg timed out: " + result.StandardError);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(10, FfmpegProgress.DecodedFrames(result));
    }
}
