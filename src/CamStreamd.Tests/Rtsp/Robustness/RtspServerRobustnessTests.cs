using CamStreamd.Rtsp;
using CamStreamd.Tests.Rtsp.TestSupport;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Rtsp.Robustness;

/// <summary>
/// A real server on loopback against hostile and broken clients (issue 3, "What it must show"):
/// garbage, limits, floods, pipelining, byte-by-byte requests, client RTCP between requests,
/// 500 connections, the connection limit and resets mid-PLAY. After each, and after all of them
/// at once, the server's counts return to zero and a new client is served normally.
/// </summary>
[Collection(RtspIntegrationGroup.Name)]
public class RtspServerRobustnessTests
{
    /// <summary>The concurrent connections the server must hold.</summary>
    private const int ManyConnections = 500;

    /// <summary>Short, so UDP sessions left behind by reset clients are reaped within the test.</summary>
    private static readonly TimeSpan SessionTimeout = TimeSpan.FromSeconds(2);

    /// <summary>UDP sessions end after the timeout plus one reap interval; the rest at once.</summary>
    private static readonly TimeSpan IdleTimeout = SessionTimeout + TimeSpan.FromSeconds(8);

    private readonly RtspClipFixture _clips;
    private readonly ITestOutputHelper _output;

    public RtspServerRobustnessTests(RtspClipFixture clips, ITestOutputHelper output)
    {
        _clips = clips;
        _output = output;
    }

    // One address opens them all here, so its share is the whole table.
    private static RtspServerOptions Options => new()
    {
        SessionTimeout = SessionTimeout, MaxConnections = ManyConnections + 100, MaxConnectionsPerAddress = ManyConnections + 100,
    };

    [Fact]
    public async Task Garbage_gets_4xx_or_close()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: Options);
        await RtspAbuse.GarbageAsync(harness.Port, Random.Shared.Next());
        await ServerRecovery.AssertRecoveredAsync(harness, IdleTimeout);
    }

    [Fact]
    public async Task Endless_request_lines_headers_and_bodies_are_cut_off()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: Options);
        var taken = await RtspAbuse.FloodsAsync(harness.Port);
        _output.WriteLine($"bytes written before the server closed: {string.Join(", ", taken)}");
        await ServerRecovery.AssertRecoveredAsync(harness, IdleTimeout);
    }

    [Fact]
    public async Task Oversized_line_header_block_header_count_and_content_length_get_4xx()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: Options);
        await RtspAbuse.LimitsAsync(harness.Port);
        await ServerRecovery.AssertRecoveredAsync(harness, IdleTimeout);
    }

    [Fact]
    public async Task Pipelined_requests_are_answered_in_order()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: Options);
        await RtspAbuse.PipelinedAsync(harness.Port, harness.Url);
        await ServerRecovery.AssertRecoveredAsync(harness, IdleTimeout);
    }

    [Fact]
    public async Task Requests_sent_byte_by_byte_are_understood()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: Options);
        await RtspAbuse.ByteByByteAsync(harness.Port, harness.Url);
        await ServerRecovery.AssertRecoveredAsync(harness, IdleTimeout);
    }

    [Fact]
    public async Task Client_rtcp_between_requests_on_one_connection()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: Options);
        await RtspAbuse.RtcpInterleavedWithRequestsAsync(harness.Port, harness.Url);
        await ServerRecovery.AssertRecoveredAsync(harness, IdleTimeout);
    }

    [Fact]
    public async Task Holds_500_concurrent_connections()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: Options);
        await RtspLoadAbuse.ManyConnectionsAsync(harness.Server, harness.Url, ManyConnections);
        await ServerRecovery.AssertRecoveredAsync(harness, IdleTimeout);
    }

    [Fact]
    public async Task One_connection_over_the_default_limit_of_connections_holding_sessions_gets_503()
    {
        // Default options: the limit and the per-address share are whatever RtspServerOptions says today.
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        await RtspLoadAbuse.OverTheLimitAsync(harness.Server, harness.Url);
        await ServerRecovery.AssertRecoveredAsync(harness, IdleTimeout);
    }

    [Fact]
    public async Task Clients_reset_mid_play_leave_no_session_behind()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: Options);
        await RtspLoadAbuse.AbruptDisconnectsAsync(harness.Port, harness.Url);
        await ServerRecovery.AssertRecoveredAsync(harness, IdleTimeout);
    }

    [Fact]
    public async Task After_all_of_it_at_once_a_new_ffmpeg_client_is_served_and_counts_return_to_zero()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: Options);
        var seed = Random.Shared.Next();
        await Task.WhenAll(
            RtspAbuse.GarbageAsync(harness.Port, seed),
            RtspAbuse.FloodsAsync(harness.Port),
            RtspAbuse.LimitsAsync(harness.Port),
            RtspAbuse.PipelinedAsync(harness.Port, harness.Url),
            RtspAbuse.ByteByByteAsync(harness.Port, harness.Url),
            RtspAbuse.RtcpInterleavedWithRequestsAsync(harness.Port, harness.Url),
            RtspLoadAbuse.ManyConnectionsAsync(harness.Server, harness.Url, ManyConnections),
            RtspLoadAbuse.AbruptDisconnectsAsync(harness.Port, harness.Url));

        await ServerRecovery.WaitForIdleAsync(harness.Server, IdleTimeout);
        await ServerRecovery.AssertFfmpegDecodesAsync(harness, frames: 60);
        await ServerRecovery.WaitForIdleAsync(harness.Server, TimeSpan.FromSeconds(5));
    }
}
