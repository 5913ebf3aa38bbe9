using System.Diagnostics;
using CamStreamd.Rtsp;
using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp;

/// <summary>
/// The idle policy for connections past their first request: without a live session, a
/// connection that sends no complete request for the session timeout is closed (blank lines do
/// not count); a begun request or interleaved frame must complete within
/// <see cref="RtspServerOptions.PartialMessageTimeout"/>; a connection that carries a playing
/// TCP session stays open however long the client is silent.
/// </summary>
[Collection(RtspIntegrationGroup.Name)]
public sealed class RtspIdleConnectionTests
{
    private readonly RtspClipFixture _clips;

    public RtspIdleConnectionTests(RtspClipFixture clips) => _clips = clips;

    [Fact]
    public async Task Blank_lines_after_a_request_do_not_keep_a_connection_without_session_open()
    {
        using var log = new ListLoggerFactory();
        var options = new RtspServerOptions { SessionTimeout = TimeSpan.FromSeconds(2) };
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: options, loggerFactory: log);
        using var client = new RawRtspClient(harness.Port);
        Assert.Equal(200, (await client.RequestAsync("OPTIONS", "*")).Status);
        var stopwatch = Stopwatch.StartNew();

        // CRLF every 200 ms (tolerated between messages, RFC 2616 §4.1) until the server closes.
        var closed = false;
        while (!closed && stopwatch.Elapsed < TimeSpan.FromSeconds(10))
        {
            try
            {
                await client.SendRawAsync("\r\n");
                await Task.Delay(200);
            }
            catch (IOException)
            {
                closed = true;
            }

            closed |= harness.Server.ConnectionCount == 0;
        }

        Assert.True(closed, "the connection sending blank lines was not closed within 10 s");
        // Not before the timeout (a loaded machine only closes it later); the log names the
        // configured 2 s, not the 60 s default.
        Assert.True(stopwatch.Elapsed.TotalSeconds >= 1.9, $"closed after {stopwatch.Elapsed}");
        Assert.Null(await client.ReadResponseAsync());
        Assert.Contains("for 2 s", Assert.Single(log.WithId(1019)).Message, StringComparison.Ordinal);
        await WaitForAsync(() => harness.Server.ConnectionCount == 0);
    }

    [Fact]
    public async Task An_interleaved_frame_that_never_completes_closes_the_connection()
    {
        using var log = new ListLoggerFactory();
        var options = new RtspServerOptions { PartialMessageTimeout = TimeSpan.FromSeconds(1) };
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: options, loggerFactory: log);
        using var client = new RawRtspClient(harness.Port);
        Assert.Equal(200, (await client.RequestAsync("OPTIONS", "*")).Status);

        // '$', channel 1, length 65,535, then 100 bytes of it and nothing more.
        var stopwatch = Stopwatch.StartNew();
        await client.SendRawAsync([0x24, 1, 0xFF, 0xFF, .. new byte[100]]);
        Assert.Null(await client.ReadResponseAsync());
        // Not before the timeout; the log names the configured 1 s (a loaded machine only closes it later).
        Assert.True(stopwatch.Elapsed.TotalSeconds >= 0.9, $"closed after {stopwatch.Elapsed}");
        Assert.Contains("within 1 s", Assert.Single(log.WithId(1020)).Message, StringComparison.Ordinal);
        await WaitForAsync(() => harness.Server.ConnectionCount == 0);

        // The same for a header block that stops half way.
        using var second = new RawRtspClient(harness.Port);
        Assert.Equal(200, (await second.RequestAsync("OPTIONS", "*")).Status);
        stopwatch.Restart();
        await second.SendRawAsync("OPTIONS * RTSP/1.0\r\nCSeq: 2\r\nUser-Agent: slo");
        Assert.Null(await second.ReadResponseAsync());
        Assert.True(stopwatch.Elapsed.TotalSeconds >= 0.9, $"closed after {stopwatch.Elapsed}");
        Assert.Equal(2, log.WithId(1020).Count);
    }

    [Fact]
    public async Task A_connection_with_a_playing_tcp_session_stays_open_while_the_client_is_silent()
    {
        var options = new RtspServerOptions { SessionTimeout = TimeSpan.FromSeconds(1) };
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: options);
        using var client = new RawRtspClient(harness.Port);
        var setup = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        var session = setup["Session"]!.Split(';')[0];
        Assert.Equal(200, (await client.RequestAsync("PLAY", harness.Url, "Session: " + session)).Status);

        // Three session timeouts of silence from the client; RTP keeps coming and the session lives.
        var stopwatch = Stopwatch.StartNew();
        var frames = 0;
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(3))
        {
            await client.ReadInterleavedAsync();
            frames++;
        }

        Assert.True(frames > 60, $"{frames} interleaved packets in 3 s");
        Assert.Equal(1, harness.Server.SessionCount);
        Assert.Equal(1, harness.Server.ConnectionCount);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
