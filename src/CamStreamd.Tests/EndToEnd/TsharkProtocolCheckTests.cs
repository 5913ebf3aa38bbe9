using System.Globalization;

namespace CamStreamd.Tests.EndToEnd;

/// <summary>
/// Wireshark's dissectors as a protocol checker: ffmpeg plays the daemon's stream for about 3 s
/// over TCP (interleaved) and over UDP while dumpcap captures it on loopback; tshark then reads
/// the capture back and must flag nothing in RTSP, SDP, RTP, H.264 over RTP or RTCP, and the
/// capture must actually hold the session (200 replies, the H.264 rtpmap, payload type 96 RTP,
/// RTCP sender reports about that RTP with the daemon's CNAME — over UDP on the client's RTCP
/// port, over TCP on the odd interleaved channel, which the RTSP dissector maps from SETUP's
/// Transport header — and the BYE that TEARDOWN sends).
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class TsharkProtocolCheckTests : RunningDaemonTest
{
    private const int MinimumRtpPackets = 60;

    // A capture on lo sees a segmented UDP message before the kernel cuts it (lo takes GSO whole):
    // one large "datagram" per run of packets. ffmpeg receives the real datagrams either way
    // (the UDP end-to-end and interop tests run segmented); tshark is to see them as sent.
    protected override IReadOnlyDictionary<string, string>? DaemonEnvironment { get; } =
        new Dictionary<string, string> { ["CAMSTREAMD_UDP_SEGMENTATION"] = "0" };

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task Tshark_flags_nothing_in_a_3_s_ffmpeg_session(string transport)
    {
        var port = Daemon.RtspPort.ToString(CultureInfo.InvariantCulture);
        List<string> clientPorts = [];
        var captureFilter = $"tcp port {port}";
        if (transport == "udp")
        {
            // ffmpeg's RTP/RTCP ports are forced into a small range, so the capture filter takes
            // this session's datagrams (both directions) and nothing else on the machine.
            var low = 40000 + (2 * Random.Shared.Next(0, 9000));
            var high = low + 9;
            clientPorts = ["-min_port", low.ToString(CultureInfo.InvariantCulture), "-max_port", high.ToString(CultureInfo.InvariantCulture)];
            captureFilter += $" or udp portrange {low.ToString(CultureInfo.InvariantCulture)}-{high.ToString(CultureInfo.InvariantCulture)}";
        }

        await using var capture = await LoopbackCapture.StartAsync(captureFilter, maxDuration: TimeSpan.FromSeconds(30));
        var ffmpeg = await PeerProcess.RunAsync(
            "ffmpeg",
            ["-nostdin", "-v", "error", "-rtsp_transport", transport, .. clientPorts, "-i", Daemon.Url("cam0"), "-t", "3", "-c", "copy", "-f", "null", "-"],
            TimeSpan.FromSeconds(30));
        await Task.Delay(300); // TEARDOWN and its reply (or the client's RST) reach the capture.
        await capture.StopAsync();
        Assert.True(ffmpeg.ExitCode == 0 && !ffmpeg.TimedOut, ffmpeg.StandardError);

        var tshark = new TsharkDissection(capture.PcapPath, Daemon.RtspPort);

        // The capture holds the session, or a clean report proves nothing.
        var statuses = await tshark.FieldsAsync("rtsp.response", ["rtsp.status"]);
        Assert.True(statuses.Count(s => s == "200") >= 4, $"RTSP replies seen: [{string.Join(", ", statuses)}] (OPTIONS, DESCRIBE, SETUP, PLAY expected)\n{capture.Diagnostics}");
        Assert.All(statuses, s => Assert.Equal("200", s));
        var sdp = await tshark.FieldsAsync("sdp", ["sdp.media_attr"]);
        Assert.True(sdp.Any(line => line.Split(',').Contains("rtpmap:96 H264/90000")), "no SDP with a=rtpmap:96 H264/90000: " + string.Join('\n', sdp));
        var ssrc = await AssertRtpIsWellFormed(tshark, $"{transport}, capture: {capture.Diagnostics}");
        await AssertSenderReportsAsync(tshark, ssrc, transport, expectBye: transport == "udp");

        var findings = await tshark.UnexplainedFindingsAsync();
        Assert.True(findings.Count == 0, $"tshark flagged ({transport}):\n" + string.Join('\n', findings));
    }

    /// <summary>
    /// The daemon's RTP packets as tshark parsed them: one SSRC, sequence numbers without gaps,
    /// timestamps that never go back, the marker bit on the last packet of every access unit
    /// (RFC 6184 §5.1), and in-band SPS, PPS and IDR NAL units that tshark's H.264 dissector found.
    /// </summary>
    private static async Task<string> AssertRtpIsWellFormed(TsharkDissection tshark, string context)
    {
        // A TCP segment can carry several interleaved RTP packets: occurrence=a lists them all.
        var rows = await tshark.FieldsAsync("rtp.p_type == 96", ["rtp.p_type", "rtp.ssrc", "rtp.seq", "rtp.timestamp", "rtp.marker"]);
        var packets = new List<(string Ssrc, int Seq, uint Timestamp, bool Marker)>();
        foreach (var row in rows)
        {
            var columns = row.Split('\t').Select(c => c.Split(',')).ToArray();
            for (var i = 0; i < columns[0].Length; i++)
            {
                if (columns[0][i] == "96")
                {
                    packets.Add((columns[1][i], int.Parse(columns[2][i], CultureInfo.InvariantCulture), uint.Parse(columns[3][i], CultureInfo.InvariantCulture), columns[4][i] is "1" or "True"));
                }
            }
        }

        Assert.True(packets.Count >= MinimumRtpPackets, $"{packets.Count} RTP packets of payload type 96 in the capture ({context})");
        Assert.Single(packets.Select(p => p.Ssrc).Distinct());
        var problems = new List<string>();
        for (var i = 1; i < packets.Count; i++)
        {
            var (_, seq, timestamp, _) = packets[i];
            var previous = packets[i - 1];
            if (((seq - previous.Seq) & 0xFFFF) != 1)
            {
                problems.Add($"sequence {previous.Seq} then {seq}");
            }

            // Serial-number arithmetic: the difference as a signed 32-bit number (timestamps wrap).
            var step = unchecked((int)(timestamp - previous.Timestamp));
            if (step < 0)
            {
                problems.Add($"timestamp went back from {previous.Timestamp} to {timestamp} at sequence {seq}");
            }
            else if (step > 0 && !previous.Marker)
            {
                problems.Add($"access unit ending at sequence {previous.Seq} has no marker bit");
            }
        }

        Assert.True(problems.Count == 0, $"{context}\n" + string.Join('\n', problems.Take(20)));

        // h264.nal_unit_hdr: the type in the RTP payload header (7 SPS, 8 PPS, 5 IDR, 28 FU-A);
        // h264.nal_unit_type: the type of the NAL unit an FU-A fragment carries.
        var nalTypes = (await tshark.FieldsAsync("rtp && h264", ["h264.nal_unit_hdr", "h264.nal_unit_type"]))
            .SelectMany(row => row.Split('\t', ','))
            .Where(type => type.Length > 0)
            .ToHashSet();
        Assert.True(
            nalTypes.IsSupersetOf(["7", "8", "5"]),
            $"tshark did not find SPS (7), PPS (8) and IDR (5) NAL units over RTP; types seen: {string.Join(' ', nalTypes.Order())}");
        return packets[0].Ssrc;
    }

    /// <summary>
    /// RTCP as tshark dissected it: compound packets SR + SDES from the RTP's SSRC whose CNAME is
    /// the daemon's — the one after the first frame, and over UDP also SR + SDES + BYE at TEARDOWN.
    /// (Over TCP ffmpeg sends TEARDOWN and resets the connection without reading, so the BYE never
    /// reaches the wire; RtspServerRtcpTests checks it precedes the TEARDOWN reply with a raw client.)
    /// Any malformed mark or warning in them is caught by the findings check.
    /// </summary>
    internal static async Task AssertSenderReportsAsync(TsharkDissection tshark, string rtpSsrc, string context, bool expectBye = true)
    {
        var reports = (await tshark.FieldsAsync("rtcp.pt == 200", ["rtcp.senderssrc", "rtcp.sdes.text", "rtcp.pt"]))
            .Select(row => row.Split('	'))
            .ToList();
        var ours = reports.Where(r => string.Equals(r[0], rtpSsrc, StringComparison.OrdinalIgnoreCase)).ToList();
        var text = string.Join('\n', reports.Select(r => string.Join(" | ", r)));
        Assert.True(ours.Count >= (expectBye ? 2 : 1), $"{context}: sender reports from the RTP's SSRC {rtpSsrc}: {ours.Count}; all SRs:\n{text}");
        Assert.All(ours, r => Assert.StartsWith("camstreamd-", r[1], StringComparison.Ordinal));
        Assert.All(ours, r => Assert.Equal("200,202", r[2].Length > 7 ? r[2][..7] : r[2]));
        Assert.True(ours.Count(r => r[2] == "200,202,203") == (expectBye ? 1 : 0), $"{context}: one SR + SDES + BYE at TEARDOWN expected:\n{text}");
    }
}
