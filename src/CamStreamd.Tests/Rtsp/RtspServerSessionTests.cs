using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CamStreamd.Media;
using CamStreamd.Rtsp;
using CamStreamd.Tests.Rtp;
using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp;

/// <summary>Session life: states and their status codes, instant start, PAUSE/PLAY, keepalives, slow clients, limits, counters.</summary>
[Collection(RtspIntegrationGroup.Name)]
public class RtspServerSessionTests
{
    private readonly RtspClipFixture _clips;

    public RtspServerSessionTests(RtspClipFixture clips) => _clips = clips;

    [Fact]
    public async Task Status_codes_for_state_options_and_methods()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        using var client = new RawRtspClient(harness.Port);
        Assert.Equal(455, (await client.RequestAsync("PLAY", harness.Url)).Status);
        Assert.Equal(455, (await client.RequestAsync("PAUSE", harness.Url)).Status);
        Assert.Equal(454, (await client.RequestAsync("PAUSE", harness.Url, "Session: DEADBEEF00000000")).Status);

        var proxy = await client.RequestAsync("DESCRIBE", harness.Url, "Proxy-Require: gzipped-messages");
        Assert.Equal((551, "gzipped-messages"), (proxy.Status, proxy["Unsupported"]));
        var record = await client.RequestAsync("RECORD", harness.Url);
        Assert.Equal(405, record.Status);
        Assert.Contains("PLAY", record["Allow"], StringComparison.Ordinal);

        var setup = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP;unicast;client_port=5000-5001");
        Assert.Equal(200, setup.Status);
        var ssrc = RtspServerRtcpTests.ParseSsrc(setup["Transport"]!);
        Assert.Equal(((CamStreamd.Rtp.H264RtpPacketizer)harness.Hub.Preparer!).Ssrc, ssrc);
        Assert.Matches(@"client_port=5000-5001;server_port=\d*[02468]-\d*[13579]", setup["Transport"]);
        var session = setup["Session"]!.Split(';')[0];
        Assert.Equal(200, (await client.RequestAsync("PAUSE", harness.Url, "Session: " + session)).Status); // Ready → Ready
        Assert.Equal(200, (await client.RequestAsync("TEARDOWN", harness.Url, "Session: " + session)).Status);
    }

    [Fact]
    public async Task Play_starts_with_the_cached_keyframe_at_rtp_info_and_resumes_after_pause_with_fresh_rtp_info()
    {
        var options = new RtspServerOptions { PlayWaitTimeout = TimeSpan.FromSeconds(3) };
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: options);
        while (harness.Publisher.Published < 15)
        {
            await Task.Delay(20);
        }

        using var client = new RawRtspClient(harness.Port);
        var setup = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        var session = setup["Session"]!.Split(';')[0];
        var play = await client.RequestAsync("PLAY", harness.Url, "Session: " + session);
        var (seq, rtpTime) = ParseRtpInfo(play["RTP-Info"]!);

        var first = await NextRtpAsync(client);
        Assert.Equal((seq, rtpTime), (Seq(first), Time(first)));
        Assert.Equal(7, first[12] & 0x1F); // the SPS of the cached IDR access unit comes first

        // The cached GOP keeps its original timestamps: frame after frame 1/30 s apart, not squeezed to "now".
        var second = first;
        while (Time(second) == Time(first))
        {
            second = await NextRtpAsync(client);
        }

        Assert.Equal(3000u, Time(second) - Time(first));

        var paused = await PauseAndDrainAsync(client, harness.Url, session);
        Assert.Equal(200, paused.Response.Status);
        Assert.Equal(0, harness.Hub.Counters.Viewers(ViewerProtocol.RtspTcp));
        await Task.Delay(300);

        var replay = await client.RequestAsync("PLAY", harness.Url, "Session: " + session);
        Assert.Equal(200, replay.Status);
        var (seq2, rtpTime2) = ParseRtpInfo(replay["RTP-Info"]!);
        var resumed = await NextRtpAsync(client);
        Assert.Equal((seq2, rtpTime2), (Seq(resumed), Time(resumed)));
        Assert.Equal(7, resumed[12] & 0x1F);
        Assert.True(unchecked((short)(Seq(resumed) - Seq(paused.LastRtp!))) > 0, "resumed after what was sent before PAUSE, never older");
        Assert.True(unchecked((int)(Time(resumed) - Time(paused.LastRtp!))) > 0);
        Assert.Equal(1, harness.Hub.Counters.Viewers(ViewerProtocol.RtspTcp));
    }

    [Fact]
    public async Task Sessions_snapshot_and_stream_counters_follow_a_tcp_viewer()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        using var client = new RawRtspClient(harness.Port);
        var setup = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        var session = setup["Session"]!.Split(';')[0];
        var ready = Assert.Single(harness.Server.Sessions);
        Assert.Equal((session, "cam0", RtspSessionState.Ready, ViewerProtocol.RtspTcp), (ready.Id, ready.Stream, ready.State, ready.Protocol));
        Assert.Equal(IPAddress.Loopback, ready.RemoteEndPoint.Address);

        Assert.Equal(200, (await client.RequestAsync("PLAY", harness.Url, "Session: " + session)).Status);
        long bytes = 0;
        for (var i = 0; i < 200; i++)
        {
            var (_, data) = await client.ReadInterleavedAsync();
            bytes += data.Length + 4;
        }

        var playing = Assert.Single(harness.Server.Sessions);
        Assert.Equal(RtspSessionState.Playing, playing.State);
        Assert.True(playing.FramesSent > 0 && playing.BytesSent >= bytes - 65_536, $"{playing.FramesSent} frames, {playing.BytesSent} bytes");
        Assert.Equal(0, playing.FramesDropped);
        Assert.Equal(1, harness.Hub.Counters.Viewers(ViewerProtocol.RtspTcp));
        Assert.True(harness.Hub.Counters.BytesSent >= playing.BytesSent - 65_536 && harness.Hub.Counters.FramesSent >= playing.FramesSent - 5);

        client.Dispose();
        await RtspServerRtcpTests.WaitForAsync(() => harness.Server.SessionCount == 0 ? "gone" : null);
        Assert.Equal(0, harness.Hub.Counters.TotalViewers);
    }

    [Fact]
    public async Task A_stalled_tcp_client_is_disconnected_and_logged_while_another_gets_every_frame()
    {
        var log = new ListLoggerFactory();
        var stallTimeout = TimeSpan.FromSeconds(1);
        var options = new RtspServerOptions { SendStallTimeout = stallTimeout, SocketSendBufferSize = 4096 };
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: options, loggerFactory: log);
        using var stalled = new RawRtspClient(harness.Port, receiveBufferSize: 4096);
        var stalledSession = (await stalled.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"))["Session"]!.Split(';')[0];
        Assert.Equal(200, (await stalled.RequestAsync("PLAY", harness.Url, "Session: " + stalledSession)).Status);
        var stalledAt = Stopwatch.GetTimestamp();

        using var good = new RawRtspClient(harness.Port);
        var goodSession = (await good.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"))["Session"]!.Split(';')[0];
        Assert.Equal(200, (await good.RequestAsync("PLAY", harness.Url, "Session: " + goodSession)).Status);

        // The good client reads until the stalled one is gone and it has 90 frames (3 s of stream):
        // every RTP sequence number, none skipped. The deadline only stops a hang; a loaded machine
        // fires the stall timer late, so the test is bound by progress, not by the clock.
        TimeSpan? stalledGoneAfter = null;
        ushort? previous = null;
        var frames = 0;
        var framesWhileStalled = 0;
        var hangGuard = Stopwatch.GetTimestamp() + (30 * Stopwatch.Frequency);
        while ((stalledGoneAfter is null || frames < 90) && Stopwatch.GetTimestamp() < hangGuard)
        {
            var (channel, data) = await good.ReadInterleavedAsync();
            if (channel != 0)
            {
                continue;
            }

            var seq = Seq(data);
            if (previous is { } p)
            {
                Assert.Equal((ushort)(p + 1), seq);
            }

            previous = seq;
            frames += (data[1] & 0x80) != 0 ? 1 : 0;
            if (stalledGoneAfter is null && harness.Server.Sessions.All(s => s.Id != stalledSession))
            {
                stalledGoneAfter = Stopwatch.GetElapsedTime(stalledAt);
                framesWhileStalled = frames;
            }
        }

        Assert.NotNull(stalledGoneAfter);
        // Never before the configured timeout (a late timer only makes this larger), and the log
        // names the configured 1 s, not the 5 s default.
        Assert.True(stalledGoneAfter >= stallTimeout, $"stalled client removed after {stalledGoneAfter}");
        Assert.Contains("no send progress for 1 s", Assert.Single(log.WithId(1009)).Message, StringComparison.Ordinal);
        // The good client kept playing through the stall (a second of stream is 30 frames).
        Assert.True(framesWhileStalled >= 10, $"good client got {framesWhileStalled} frames while the other was stalled");
        Assert.True(frames >= 90, $"good client got {frames} frames");
        var goodInfo = Assert.Single(harness.Server.Sessions);
        Assert.Equal((goodSession, 0L), (goodInfo.Id, goodInfo.FramesDropped));
    }

    [Fact]
    public async Task A_udp_session_kept_alive_by_rtcp_alone_outlives_its_timeout_then_is_reaped()
    {
        var options = new RtspServerOptions { SessionTimeout = TimeSpan.FromSeconds(2.5) };
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: options);
        using var rtcp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rtcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var rtcpPort = ((IPEndPoint)rtcp.LocalEndPoint!).Port;
        int serverRtcp;
        uint ssrc;
        using (var client = new RawRtspClient(harness.Port))
        {
            var setup = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", $"Transport: RTP/AVP;unicast;client_port={rtcpPort - 1}-{rtcpPort}");
            Assert.Equal(200, setup.Status);
            ssrc = RtspServerRtcpTests.ParseSsrc(setup["Transport"]!);
            serverRtcp = int.Parse(System.Text.RegularExpressions.Regex.Match(setup["Transport"]!, @"server_port=\d+-(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
            var session = setup["Session"]!.Split(';')[0];
            Assert.Equal(200, (await client.RequestAsync("PLAY", harness.Url, "Session: " + session)).Status);
        }

        var rr = RtcpTestPackets.ReceiverReport(1, ssrc, 0, 0, 0, 0);
        // Gaps of 0.4 s leave 2.1 s of slack for a loaded machine before the 2.5 s timeout.
        for (var i = 0; i < 10; i++)
        {
            await rtcp.SendToAsync(rr, new IPEndPoint(IPAddress.Loopback, serverRtcp));
            await Task.Delay(400);
        }

        Assert.Equal(1, harness.Server.SessionCount); // 4 s > 2.5 s timeout
        var stoppedAt = Stopwatch.GetTimestamp();
        // The reaper removes the session first and then ends it, which detaches its viewer from
        // the hub a moment later: wait for both rather than reading the hub in between.
        await RtspServerRtcpTests.WaitForAsync(() => harness.Server.SessionCount == 0 && harness.Hub.SubscriberCount == 0 ? "gone" : null);
        // Reaped once the last report is older than the timeout: never sooner than 2.5 - 0.4 s after
        // it. WaitForAsync bounds the wait; the 60 s default would not end within it.
        Assert.True(Stopwatch.GetElapsedTime(stoppedAt).TotalSeconds >= 1.0);
    }

    [Fact]
    public async Task A_connection_without_a_complete_first_request_is_closed_and_logged()
    {
        var log = new ListLoggerFactory();
        var options = new RtspServerOptions { FirstRequestTimeout = TimeSpan.FromMilliseconds(500) };
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: options, loggerFactory: log);
        using var patient = new RawRtspClient(harness.Port);
        Assert.Equal(200, (await patient.RequestAsync("OPTIONS", "*")).Status);

        using var slow = new RawRtspClient(harness.Port);
        await slow.SendRawAsync("OPTIONS * RTSP/1.0\r\nCSe");
        var started = Stopwatch.GetTimestamp();
        Assert.Null(await slow.ReadResponseAsync());
        // Not before the timer (a loaded machine only fires it later); the log names the configured
        // 0.5 s, not the 10 s default.
        Assert.True(Stopwatch.GetElapsedTime(started).TotalSeconds >= 0.2);
        Assert.Contains("no complete request within 0.5 s", Assert.Single(log.WithId(1016)).Message, StringComparison.Ordinal);

        // A connection past its first request is not bound by that timer.
        await Task.Delay(300);
        Assert.Equal(200, (await patient.RequestAsync("OPTIONS", "*")).Status);
    }

    [Fact]
    public async Task Oversize_frames_are_counted_and_logged_once_per_interval()
    {
        var log = new ListLoggerFactory();
        await using var harness = RtspTestHarness.Start(_clips.Gop30, loggerFactory: log, maxFrameLength: 200);
        await Task.Delay(2500);
        var lines = log.WithId(1017);
        var dropped = harness.Hub.FramesOversize;
        Assert.True(dropped > 10, $"{dropped} oversize frames");
        var line = Assert.Single(lines);
        Assert.Contains("cam0", line.Message, StringComparison.Ordinal);
        Assert.Contains("maxFrameLength 200 ", line.Message, StringComparison.Ordinal);
    }

    private static ushort Seq(byte[] rtp) => BinaryPrimitives.ReadUInt16BigEndian(rtp.AsSpan(2));

    private static uint Time(byte[] rtp) => BinaryPrimitives.ReadUInt32BigEndian(rtp.AsSpan(4));

    private static (ushort Seq, uint RtpTime) ParseRtpInfo(string rtpInfo)
    {
        var parts = rtpInfo.Split(';');
        return (ushort.Parse(parts.Single(p => p.StartsWith("seq=", StringComparison.Ordinal))[4..], CultureInfo.InvariantCulture),
            uint.Parse(parts.Single(p => p.StartsWith("rtptime=", StringComparison.Ordinal))[8..], CultureInfo.InvariantCulture));
    }

    private static async Task<byte[]> NextRtpAsync(RawRtspClient client)
    {
        while (true)
        {
            var (channel, data) = await client.ReadInterleavedAsync();
            if (channel == 0)
            {
                return data;
            }
        }
    }

    private static async Task<(RawRtspClient.Response Response, byte[]? LastRtp)> PauseAndDrainAsync(RawRtspClient client, string url, string session)
    {
        await client.SendRawAsync($"PAUSE {url} RTSP/1.0\r\nCSeq: 99\r\nSession: {session}\r\n\r\n");
        byte[]? last = null;
        while (await client.PeekByteAsync() == 0x24)
        {
            var (channel, data) = await client.ReadInterleavedAsync();
            last = channel == 0 ? data : last;
        }

        return ((await client.ReadResponseAsync())!, last);
    }
}
