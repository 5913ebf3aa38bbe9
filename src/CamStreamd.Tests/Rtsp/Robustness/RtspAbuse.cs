using System.Buffers.Binary;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Tests.Rtsp.Robustness;

/// <summary>
/// Malformed, oversized, pipelined and fragmented traffic against a running server on loopback.
/// Each method asserts how the server answers; they also run all at once in
/// <see cref="RtspServerRobustnessTests"/>'s gauntlet.
/// </summary>
internal static class RtspAbuse
{
    /// <summary>A flood stops being read within this many bytes, or the server buffers without bound.</summary>
    private const int FloodCeiling = 32 * 1024 * 1024;

    /// <summary>The CSeq of the valid request sent after garbage.</summary>
    private const int ProbeCSeq = 99;

    /// <summary>
    /// Garbage of several kinds, each followed by a valid OPTIONS: every reply before it is a 4xx
    /// or 505, and then the connection is either closed or the OPTIONS is answered 200.
    /// </summary>
    public static async Task GarbageAsync(int port, int seed)
    {
        var random = new Random(seed);
        var randomBytes = new byte[4096];
        random.NextBytes(randomBytes);
        (string Name, byte[] Bytes)[] garbage =
        [
            ("4 KB of random bytes", randomBytes),
            ("a TLS ClientHello", [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03, .. new byte[32]]),
            ("an HTTP request", "GET / HTTP/1.1\r\nHost: camera\r\n\r\n"u8.ToArray()),
            ("2 KB of NULs", new byte[2048]),
            ("a binary header line", "OPTIONS * RTSP/1.0\r\nCSeq: 1\r\n\u0001\u0002:\u00ff\r\n\r\n"u8.ToArray()),
            ("a control character in the URI", "DESCRIBE rtsp://x/\u0007cam0 RTSP/1.0\r\nCSeq: 2\r\n\r\n"u8.ToArray()),
            ("a folded first header", "OPTIONS * RTSP/1.0\r\nCSeq: 3\r\n : folded-first\r\n\r\n"u8.ToArray()),
            ("RTSP/9.9", "OPTIONS * RTSP/9.9\r\nCSeq: 4\r\n\r\n"u8.ToArray()),
            ("20000 blank lines", [.. Enumerable.Repeat((byte)'\n', 20_000)]),
        ];
        foreach (var (name, bytes) in garbage)
        {
            using var client = await RtspWireClient.ConnectAsync(port);
            await client.SendAsync(bytes);
            try
            {
                // A probe may be swallowed into the bad request it follows (then that 400 is its
                // answer too): send another after every error reply, until one is answered.
                for (var probe = ProbeCSeq; ; probe++)
                {
                    Assert.True(probe < ProbeCSeq + 50, $"seed {seed}, {name}: 50 error replies and no end");
                    await TrySendAsync(client, RtspWireClient.Request("OPTIONS", "*", probe));
                    var response = await client.ReadResponseAsync();
                    if (response is null || response.CSeq >= ProbeCSeq)
                    {
                        Assert.True(response is null || response.Status == 200, $"seed {seed}, {name}: the probe after it got {response?.Status}");
                        break;
                    }

                    Assert.True(response.Status is >= 400 and < 500 or 505, $"seed {seed}, {name}: answered {response.Status}");
                }
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"seed {seed}, {name}: the server neither answered nor closed the connection");
            }
        }
    }

    /// <summary>
    /// Endless input of one kind, sent until the server stops taking it: the write must fail (the
    /// server closed) long before <see cref="FloodCeiling"/> bytes, so nothing is buffered without bound.
    /// </summary>
    public static async Task<long> FloodAsync(int port, string prefix, string unit)
    {
        using var client = await RtspWireClient.ConnectAsync(port);
        var chunk = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(unit, (64 * 1024) / unit.Length)));
        long sent = 0;
        try
        {
            await client.SendAsync(prefix);
            while (sent < FloodCeiling)
            {
                await client.SendAsync(chunk);
                sent += chunk.Length;
            }
        }
        catch (IOException)
        {
            return sent;
        }

        Assert.Fail($"the server took {sent} bytes of \"{prefix}\" + \"{unit}\"... without closing the connection");
        return sent;
    }

    /// <summary>Floods of a request line, a header value, header lines and folded lines.</summary>
    public static async Task<long[]> FloodsAsync(int port)
    {
        return await Task.WhenAll(
            FloodAsync(port, "OPTIONS /", "a"),
            FloodAsync(port, "OPTIONS * RTSP/1.0\r\nX-Long: ", "v"),
            FloodAsync(port, "OPTIONS * RTSP/1.0\r\n", "X-Header: v\r\n"),
            FloodAsync(port, "OPTIONS * RTSP/1.0\r\nX-Folded: v\r\n", " v\r\n"),
            FloodAsync(port, "SET_PARAMETER * RTSP/1.0\r\nCSeq: 1\r\nContent-Length: 99999999999\r\n\r\n", "body"));
    }

    /// <summary>Each limit broken with a complete request: a 4xx, then a close or a served next request.</summary>
    public static async Task LimitsAsync(int port)
    {
        string[] requests =
        [
            $"OPTIONS /{new string('a', RtspParser.MaxRequestLineLength)} RTSP/1.0\r\nCSeq: 1\r\n\r\n",
            RtspWireClient.Request("OPTIONS", "*", 2, [.. Enumerable.Range(0, 20).Select(i => $"X-H{i}: {new string('v', 1000)}")]),
            RtspWireClient.Request("OPTIONS", "*", 3, [.. Enumerable.Range(0, RtspParser.MaxHeaderCount + 1).Select(i => $"X-H{i}: v")]),
            RtspWireClient.Request("SET_PARAMETER", "*", 4, "Content-Length: 1000000000000"),
            RtspWireClient.Request("SET_PARAMETER", "*", 5, "Content-Length: 184467440737095516160"),
            RtspWireClient.Request("SET_PARAMETER", "*", 6, $"Content-Length: {RtspParser.MaxContentLength + 1}") + new string('b', RtspParser.MaxContentLength + 1),
        ];
        foreach (var request in requests)
        {
            using var client = await RtspWireClient.ConnectAsync(port);
            await client.SendAsync(request);
            var response = await client.ReadResponseAsync();
            Assert.True(response is null || response.Status is >= 400 and < 500, $"over-limit request ({request.Length} bytes) answered {response?.Status}");
            if (await TrySendAsync(client, RtspWireClient.Request("OPTIONS", "*", ProbeCSeq)))
            {
                // The server resynchronized or will close; it never answers the bad request's remains with 2xx.
                while (await client.ReadResponseAsync() is { } next && next.CSeq != ProbeCSeq)
                {
                    Assert.True(next.Status is >= 400 and < 500, $"after an over-limit request: {next.Status}");
                }
            }
        }
    }

    /// <summary>Ten requests in one write, answered in order (a bad one in the middle gets its 400 in place).</summary>
    public static async Task PipelinedAsync(int port, string url)
    {
        using var client = await RtspWireClient.ConnectAsync(port);
        (string Request, int? CSeq, int Status)[] plan =
        [
            (RtspWireClient.Request("OPTIONS", "*", 1), 1, 200),
            (RtspWireClient.Request("DESCRIBE", url, 2, "Accept: application/sdp"), 2, 200),
            (RtspWireClient.Request("SET_PARAMETER", url, 3, "Content-Type: text/parameters", "Content-Length: 10") + "ping: 1\r\n\r\n"[..10], 3, 200),
            (RtspWireClient.Request("GET_PARAMETER", url, 4), 4, 200),
            (RtspWireClient.Request("OPTIONS", "*", 5, "Require: implicit-play"), 5, 551),
            (RtspWireClient.Request("ANNOUNCE", url, 6), 6, 405),
            ("THIS IS NOT RTSP\r\nCSeq: 7\r\n\r\n", null, 400),
            (RtspWireClient.Request("OPTIONS", "*", 8), 8, 200),
            (RtspWireClient.Request("SETUP", url + "/trackID=0", 9, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"), 9, 200),
            (RtspWireClient.Request("DESCRIBE", url + "-missing", 10), 10, 404),
        ];
        await client.SendAsync(string.Concat(plan.Select(p => p.Request)));
        string? session = null;
        foreach (var (_, cseq, status) in plan)
        {
            var response = await client.ReadResponseAsync();
            Assert.NotNull(response);
            Assert.Equal((cseq, status), (response.CSeq, response.Status));
            session ??= response["Session"]?.Split(';')[0];
        }

        Assert.Equal(200, (await client.RequestAsync("TEARDOWN", url, 11, "Session: " + session)).Status);
    }

    /// <summary>DESCRIBE, SETUP, PLAY and an RTCP frame sent one byte per TCP segment: all understood.</summary>
    public static async Task ByteByByteAsync(int port, string url)
    {
        using var client = await RtspWireClient.ConnectAsync(port);
        await client.SendByteByByteAsync(RtspWireClient.Request("DESCRIBE", url, 1, "Accept: application/sdp"));
        var describe = await client.ReadResponseAsync();
        Assert.Equal(200, describe?.Status);
        Assert.Contains("m=video", describe!.Body, StringComparison.Ordinal);

        await client.SendByteByByteAsync(RtspWireClient.Request("SETUP", url + "/trackID=0", 2, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1"));
        var setup = await client.ReadResponseAsync();
        Assert.Equal(200, setup?.Status);
        await client.SendByteByByteAsync(RtspWireClient.Request("PLAY", url, 3, "Session: " + setup!.Session));
        Assert.Equal(200, (await client.ReadResponseAsync())?.Status);
        await ExpectRtpAsync(client, 10);

        await client.SendByteByByteAsync(RtspWireClient.Interleaved(1, ReceiverReport(0x11, 0)));
        Assert.Equal(200, (await client.RequestAsync("TEARDOWN", url, 4, "Session: " + setup.Session)).Status);
    }

    /// <summary>
    /// Client RTCP receiver reports on channel 1 mixed with keepalive requests on one connection,
    /// one frame split across two writes: every request is answered in order and RTP keeps flowing
    /// without a gap.
    /// </summary>
    public static async Task RtcpInterleavedWithRequestsAsync(int port, string url)
    {
        using var client = await RtspWireClient.ConnectAsync(port);
        var setup = await client.RequestAsync("SETUP", url + "/trackID=0", 1, "Transport: RTP/AVP/TCP;unicast;interleaved=0-1");
        var session = "Session: " + setup.Session;
        Assert.Equal(200, (await client.RequestAsync("PLAY", url, 2, session)).Status);
        var cseq = 3;
        for (var i = 0; i < 20; i++)
        {
            var report = RtspWireClient.Interleaved(1, ReceiverReport(0x22, (uint)i));
            var keepalive = System.Text.Encoding.ASCII.GetBytes(RtspWireClient.Request(i % 2 == 0 ? "GET_PARAMETER" : "SET_PARAMETER", url, cseq, session));
            var split = report.Length / 2;
            await client.SendAsync((byte[])[.. report, .. keepalive, .. report.AsSpan(0, split)]);
            await client.SendAsync((byte[])[.. report.AsSpan(split), .. System.Text.Encoding.ASCII.GetBytes(RtspWireClient.Request("OPTIONS", "*", cseq + 1))]);
            foreach (var expected in (int[])[cseq, cseq + 1])
            {
                var response = await client.ReadResponseAsync();
                Assert.Equal((expected, 200), (response?.CSeq, response?.Status));
            }

            cseq += 2;

            // Spread the rounds over ~0.4 s (a dozen frames at 30 fps) so RTP must interleave with
            // the responses; a fast Release build otherwise finished all rounds between two frames.
            await Task.Delay(20);
        }

        Assert.True(client.RtpFramesSkipped > 0, "no RTP arrived between the keepalive responses");
        await ExpectRtpAsync(client, 30);
        Assert.Equal(200, (await client.RequestAsync("TEARDOWN", url, cseq, session)).Status);
    }

    /// <summary>Reads <paramref name="count"/> RTP packets on channel 0 and checks their sequence numbers follow on.</summary>
    public static async Task ExpectRtpAsync(RtspWireClient client, int count)
    {
        int? previous = null;
        for (var received = 0; received < count;)
        {
            var frame = await client.ReadFrameAsync();
            Assert.NotNull(frame);
            if (frame.Value.Channel != 0)
            {
                continue; // Sender reports on channel 1.
            }

            var data = frame.Value.Data;
            Assert.Equal(2, data[0] >> 6);
            var sequence = BinaryPrimitives.ReadUInt16BigEndian(data.AsSpan(2));
            Assert.True(previous is null || sequence == (ushort)(previous + 1), $"RTP sequence {previous} then {sequence}");
            previous = sequence;
            received++;
        }
    }

    /// <summary>An RTCP receiver report (RFC 3550 §6.4.2): V=2, RC=1, PT=201, length 7 words, one report block.</summary>
    public static byte[] ReceiverReport(uint ssrc, uint highestSequence)
    {
        var rr = new byte[32];
        rr[0] = 0x81;
        rr[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(rr.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(rr.AsSpan(4), ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(rr.AsSpan(8), 0x12345678); // reported SSRC
        BinaryPrimitives.WriteUInt32BigEndian(rr.AsSpan(16), highestSequence);
        BinaryPrimitives.WriteUInt32BigEndian(rr.AsSpan(20), 3); // jitter
        return rr;
    }

    /// <summary>Sends when the connection is still open; false when the server already closed it.</summary>
    private static async Task<bool> TrySendAsync(RtspWireClient client, string text)
    {
        try
        {
            await client.SendAsync(text);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
