using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp;

/// <summary>Protocol behaviour over a raw TCP client: status codes, headers, sessions.</summary>
[Collection(RtspIntegrationGroup.Name)]
public class RtspServerProtocolTests
{
    private readonly RtspClipFixture _clips;

    public RtspServerProtocolTests(RtspClipFixture clips) => _clips = clips;

    [Fact]
    public async Task Options_lists_public_methods()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        using var client = new RawRtspClient(harness.Port);
        var response = await client.RequestAsync("OPTIONS", "*");
        Assert.Equal(200, response.Status);
        var methods = response["Public"]!.Split(',', StringSplitOptions.TrimEntries);
        Assert.Equal(["OPTIONS", "DESCRIBE", "SETUP", "PLAY", "PAUSE", "TEARDOWN", "GET_PARAMETER", "SET_PARAMETER"], methods);
        Assert.NotNull(response["Date"]);
        Assert.NotNull(response["Server"]);
    }

    [Fact]
    public async Task Describe_returns_sdp_with_content_base_and_unknown_stream_is_404()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        using var client = new RawRtspClient(harness.Port);
        var response = await client.RequestAsync("DESCRIBE", harness.Url, "Accept: application/sdp");
        Assert.Equal(200, response.Status);
        Assert.Equal("application/sdp", response["Content-Type"]);
        Assert.Equal(harness.Url + "/", response["Content-Base"]);
        Assert.Contains("a=fmtp:96 packetization-mode=1;profile-level-id=", response.Body, StringComparison.Ordinal);
        Assert.Contains("a=x-dimensions:640,360", response.Body, StringComparison.Ordinal);

        Assert.Equal(404, (await client.RequestAsync("DESCRIBE", $"rtsp://127.0.0.1:{harness.Port}/nope")).Status);
        Assert.Equal(404, (await client.RequestAsync("SETUP", $"rtsp://127.0.0.1:{harness.Port}/nope/trackID=0", "Transport: RTP/AVP/TCP;interleaved=0-1")).Status);
    }

    [Fact]
    public async Task Error_statuses_echo_cseq()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        using var client = new RawRtspClient(harness.Port);
        var required = await client.RequestAsync("OPTIONS", "*", "Require: funky-feature");
        Assert.Equal(551, required.Status);
        Assert.Equal("funky-feature", required["Unsupported"]);

        var announce = await client.RequestAsync("ANNOUNCE", harness.Url);
        Assert.Equal(405, announce.Status);
        Assert.Contains("DESCRIBE", announce["Allow"], StringComparison.Ordinal);

        Assert.Equal(454, (await client.RequestAsync("PLAY", harness.Url, "Session: 0000000000000000")).Status);
        Assert.Equal(461, (await client.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP;multicast")).Status);

        await client.SendRawAsync("OPTIONS * RTSP/1.0\r\n\r\n");
        Assert.Equal(400, (await client.ReadResponseAsync())!.Status);

        // The connection survived every error above.
        Assert.Equal(200, (await client.RequestAsync("OPTIONS", "*")).Status);
    }

    [Fact]
    public async Task Garbage_gets_400_or_close_and_the_next_client_is_served()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        using (var bad = new RawRtspClient(harness.Port))
        {
            await bad.SendRawAsync([0x16, 0x03, 0x01, 0x00, 0xA5, 0x01, 0x00, 0x00, 0xA1, 0x0D, 0x0A]);
            var response = await bad.ReadResponseAsync();
            Assert.True(response is null || response.Status == 400);
            Assert.Null(await bad.ReadResponseAsync());
        }

        using var good = new RawRtspClient(harness.Port);
        Assert.Equal(200, (await good.RequestAsync("OPTIONS", "*")).Status);
    }

    [Fact]
    public async Task Teardown_ends_the_session()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        using var client = new RawRtspClient(harness.Port);
        var setup = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        Assert.Equal(200, setup.Status);
        var session = setup["Session"]!.Split(';')[0];
        Assert.True(session.Length >= 16);
        Assert.Contains("timeout=60", setup["Session"], StringComparison.Ordinal);
        Assert.Equal(1, harness.Server.SessionCount);

        Assert.Equal(200, (await client.RequestAsync("GET_PARAMETER", harness.Url, "Session: " + session)).Status);
        Assert.Equal(200, (await client.RequestAsync("TEARDOWN", harness.Url, "Session: " + session)).Status);
        Assert.Equal(454, (await client.RequestAsync("GET_PARAMETER", harness.Url, "Session: " + session)).Status);
        Assert.Equal(454, (await client.RequestAsync("PLAY", harness.Url, "Session: " + session)).Status);
        Assert.Equal(0, harness.Server.SessionCount);
    }

    [Fact]
    public async Task Interleaved_on_channel_2_patches_headers_and_starts_at_rtp_info_seq()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30);
        using var client = new RawRtspClient(harness.Port);
        var setup = await client.RequestAsync("SETUP", $"/cam0/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=2-3");
        Assert.Equal(200, setup.Status);
        Assert.Contains("interleaved=2-3", setup["Transport"], StringComparison.Ordinal);
        var session = setup["Session"]!.Split(';')[0];
        var play = await client.RequestAsync("PLAY", harness.Url + "/", "Session: " + session);
        Assert.Equal(200, play.Status);
        Assert.Equal("npt=0.000-", play["Range"]);
        var rtpInfo = play["RTP-Info"]!;
        Assert.StartsWith(harness.Url.Replace("cam0", "", StringComparison.Ordinal), rtpInfo["url=".Length..], StringComparison.Ordinal);
        var seq = ushort.Parse(rtpInfo.Split(';').Single(p => p.StartsWith("seq=", StringComparison.Ordinal))[4..], System.Globalization.CultureInfo.InvariantCulture);

        for (var i = 0; i < 50; i++)
        {
            var (channel, packet) = await client.ReadInterleavedAsync();
            if (channel == 3)
            {
                // An RTCP sender report on the odd channel follows the first frame.
                Assert.Equal(200, packet[1]);
                i--;
                continue;
            }

            Assert.Equal(2, channel);
            Assert.Equal(0x80, packet[0] & 0xC0);
            Assert.Equal((ushort)(seq + i), System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)));
        }

        Assert.Equal(200, (await PauseAndDrainAsync(client, harness.Url, session)).Status);
    }

    [Fact]
    public async Task Connections_beyond_the_limit_get_503_when_every_connection_holds_a_session()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: new CamStreamd.Rtsp.RtspServerOptions { MaxConnections = 1 });
        using var first = new RawRtspClient(harness.Port);
        Assert.Equal(200, (await first.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1")).Status);
        using var second = new RawRtspClient(harness.Port);
        Assert.Equal(503, (await second.RequestAsync("OPTIONS", "*")).Status);
        Assert.Null(await second.ReadResponseAsync());
        Assert.Equal(200, (await first.RequestAsync("OPTIONS", "*")).Status);
    }

    [Fact]
    public async Task At_the_limit_a_newcomer_evicts_a_connection_that_holds_nothing()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: new CamStreamd.Rtsp.RtspServerOptions { MaxConnections = 1 });
        using var first = new RawRtspClient(harness.Port);
        Assert.Equal(200, (await first.RequestAsync("OPTIONS", "*")).Status);
        using var second = new RawRtspClient(harness.Port);
        Assert.Equal(200, (await second.RequestAsync("OPTIONS", "*")).Status);
        Assert.Null(await first.ReadResponseAsync());
        Assert.Equal(1, harness.Server.Budget.Evicted);
    }

    [Fact]
    public async Task A_client_that_never_reads_is_disconnected_after_the_stall_timeout()
    {
        var options = new CamStreamd.Rtsp.RtspServerOptions { SendStallTimeout = TimeSpan.FromSeconds(1), SocketSendBufferSize = 4096 };
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: options);
        using var stalled = new RawRtspClient(harness.Port, receiveBufferSize: 4096);
        var setup = await stalled.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        var session = setup["Session"]!.Split(';')[0];
        Assert.Equal(200, (await stalled.RequestAsync("PLAY", harness.Url, "Session: " + session)).Status);
        Assert.Equal(1, harness.Server.SessionCount);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (harness.Server.SessionCount > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, harness.Server.SessionCount);
        Assert.Equal(0, harness.Server.ConnectionCount);
        Assert.Equal(0, harness.Hub.SubscriberCount);
    }

    [Fact]
    public async Task A_udp_session_without_keepalive_is_reaped()
    {
        var options = new CamStreamd.Rtsp.RtspServerOptions { SessionTimeout = TimeSpan.FromSeconds(2) };
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: options);
        using (var client = new RawRtspClient(harness.Port))
        {
            var setup = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP;unicast;client_port=9-10");
            Assert.Equal(200, setup.Status);
            Assert.Matches(@"server_port=(\d*[02468])-\d+", setup["Transport"]);
            Assert.Contains("timeout=2", setup["Session"], StringComparison.Ordinal);
            var session = setup["Session"]!.Split(';')[0];
            Assert.Equal(200, (await client.RequestAsync("PLAY", harness.Url, "Session: " + session)).Status);
        }

        // The RTSP connection is gone; the UDP session lives on until the timeout.
        await Task.Delay(500);
        Assert.Equal(1, harness.Server.SessionCount);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (harness.Server.SessionCount > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Equal(0, harness.Server.SessionCount);
        Assert.Equal(0, harness.Hub.SubscriberCount);
    }

    /// <summary>PAUSE while RTP is flowing: skip interleaved frames until the response arrives.</summary>
    private static async Task<RawRtspClient.Response> PauseAndDrainAsync(RawRtspClient client, string url, string session)
    {
        await client.SendRawAsync($"PAUSE {url} RTSP/1.0\r\nCSeq: 99\r\nSession: {session}\r\n\r\n");
        while (true)
        {
            var peek = await client.PeekByteAsync();
            if (peek == 0x24)
            {
                await client.ReadInterleavedAsync();
                continue;
            }

            return (await client.ReadResponseAsync())!;
        }
    }
}
