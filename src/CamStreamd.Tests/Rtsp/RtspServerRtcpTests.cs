using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CamStreamd.Media;
using CamStreamd.Rtp;
using CamStreamd.Rtsp;
using CamStreamd.Tests.Rtp;
using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp;

/// <summary>
/// RTCP per session (RFC 3550): sender reports out, receiver reports in, BYE at the end; over UDP
/// and interleaved TCP. (How Wireshark's dissector sees the SRs of a real ffmpeg session, over
/// both transports, is checked in EndToEnd/TsharkProtocolCheckTests.)
/// </summary>
[Collection(RtspIntegrationGroup.Name)]
public class RtspServerRtcpTests
{
    private static readonly RtspServerOptions FastRtcp = new() { RtcpInterval = TimeSpan.FromMilliseconds(500) };
    private readonly RtspClipFixture _clips;

    public RtspServerRtcpTests(RtspClipFixture clips) => _clips = clips;

    [Fact]
    public async Task Udp_session_gets_sr_with_sdes_on_its_rtcp_port_reads_rr_and_ends_with_bye()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: FastRtcp);
        using var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        using var rtcp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        rtcp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var rtpPort = ((IPEndPoint)rtp.LocalEndPoint!).Port;
        var rtcpPort = ((IPEndPoint)rtcp.LocalEndPoint!).Port;
        var (low, high) = rtpPort < rtcpPort ? (rtp, rtcp) : (rtcp, rtp);
        var lowPort = Math.Min(rtpPort, rtcpPort);
        var highPort = Math.Max(rtpPort, rtcpPort);

        using var client = new RawRtspClient(harness.Port);
        var setup = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", $"Transport: RTP/AVP;unicast;client_port={lowPort}-{highPort}");
        Assert.Equal(200, setup.Status);
        var transport = setup["Transport"]!;
        var ssrc = ParseSsrc(transport);
        var serverPorts = System.Text.RegularExpressions.Regex.Match(transport, @"server_port=(\d+)-(\d+)");
        Assert.True(serverPorts.Success, transport);
        var serverRtcp = int.Parse(serverPorts.Groups[2].Value, CultureInfo.InvariantCulture);
        Assert.Equal(int.Parse(serverPorts.Groups[1].Value, CultureInfo.InvariantCulture) + 1, serverRtcp);
        var session = setup["Session"]!.Split(';')[0];
        Assert.Equal(200, (await client.RequestAsync("PLAY", harness.Url, "Session: " + session)).Status);

        var first = await ReceiveAsync(high, TimeSpan.FromSeconds(3));
        var lastRtpTime = await LastRtpTimestampAsync(low, TimeSpan.FromMilliseconds(300));
        var second = await ReceiveAsync(high, TimeSpan.FromSeconds(3));
        AssertSenderReport(second, ssrc, lastRtpTime, DateTime.UtcNow, out var packets);
        Assert.True(packets > BinaryPrimitives.ReadUInt32BigEndian(first.AsSpan(20)));

        // NTP and RTP time advance together at 90 kHz between two reports (RFC 3550 §6.4.1).
        var ntpSeconds = (BinaryPrimitives.ReadUInt64BigEndian(second.AsSpan(8)) - BinaryPrimitives.ReadUInt64BigEndian(first.AsSpan(8))) / 4294967296.0;
        var rtpSeconds = unchecked(BinaryPrimitives.ReadUInt32BigEndian(second.AsSpan(16)) - BinaryPrimitives.ReadUInt32BigEndian(first.AsSpan(16))) / 90_000.0;
        Assert.InRange(ntpSeconds, 0.4, 2.0);
        Assert.InRange(rtpSeconds - ntpSeconds, -0.02, 0.02);

        // A receiver report from the client's RTCP port to the server's (RTP port + 1).
        var rr = RtcpTestPackets.ReceiverReport(0x5EED, ssrc, 25, 7, 1000, 900, 0x12345678);
        await high.SendToAsync(rr, new IPEndPoint(IPAddress.Loopback, serverRtcp));
        var info = await WaitForAsync(() => harness.Server.Sessions.SingleOrDefault(s => s.RtcpPacketsLost == 7));
        Assert.Equal((25, 10_000L, ViewerProtocol.RtspUdp), (info.RtcpFractionLost, info.RtcpJitterMicroseconds, info.Protocol));
        Assert.Equal(7, harness.Hub.Counters.RtcpPacketsLost);
        Assert.Equal(10_000, harness.Hub.Counters.RtcpJitterMicroseconds);

        Assert.Equal(200, (await client.RequestAsync("TEARDOWN", harness.Url, "Session: " + session)).Status);
        var bye = await ReceiveUntilAsync(high, p => ContainsType(p, RtcpPacketReader.PacketTypeBye), TimeSpan.FromSeconds(3));
        Assert.Equal([200, 202, 203], PacketTypes(bye));
        Assert.Equal(ssrc, BinaryPrimitives.ReadUInt32BigEndian(bye.AsSpan(bye.Length - 4)));
    }

    [Fact]
    public async Task Tcp_session_gets_sr_on_the_odd_channel_reads_interleaved_rr_and_bye_precedes_the_teardown_reply()
    {
        await using var harness = RtspTestHarness.Start(_clips.Gop30, options: FastRtcp);
        using var client = new RawRtspClient(harness.Port);
        var setup = await client.RequestAsync("SETUP", harness.Url + "/trackID=0", "Transport: RTP/AVP/TCP;unicast;interleaved=4-5");
        var ssrc = ParseSsrc(setup["Transport"]!);
        Assert.Equal(harness.Hub.Preparer is H264RtpPacketizer p ? p.Ssrc : 0, ssrc);
        var session = setup["Session"]!.Split(';')[0];
        Assert.Equal(200, (await client.RequestAsync("PLAY", harness.Url, "Session: " + session)).Status);

        uint lastRtpTime = 0;
        byte[]? sr = null;
        for (var i = 0; i < 2000 && sr is null; i++)
        {
            var (channel, data) = await client.ReadInterleavedAsync();
            if (channel == 4)
            {
                lastRtpTime = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4));
            }
            else
            {
                Assert.Equal(5, channel);
                sr = data;
            }
        }

        Assert.NotNull(sr);
        AssertSenderReport(sr, ssrc, lastRtpTime, DateTime.UtcNow, out _);

        // Client RTCP on the same connection, between requests (RFC 2326 §10.12).
        byte[] rr = [.. RtcpTestPackets.ReceiverReport(0x77, ssrc, 0, 3, 0, 90), .. RtcpTestPackets.Sdes(0x77, "c")];
        await client.SendRawAsync([0x24, 5, (byte)(rr.Length >> 8), (byte)rr.Length, .. rr]);
        var info = await WaitForAsync(() => harness.Server.Sessions.SingleOrDefault(s => s.RtcpPacketsLost == 3));
        Assert.Equal((1000L, ViewerProtocol.RtspTcp, RtspSessionState.Playing), (info.RtcpJitterMicroseconds, info.Protocol, info.State));

        await client.SendRawAsync($"TEARDOWN {harness.Url} RTSP/1.0\r\nCSeq: 50\r\nSession: {session}\r\n\r\n");
        var sawBye = false;
        while (await client.PeekByteAsync() == 0x24)
        {
            var (channel, data) = await client.ReadInterleavedAsync();
            sawBye |= channel == 5 && ContainsType(data, RtcpPacketReader.PacketTypeBye);
        }

        Assert.Equal(200, (await client.ReadResponseAsync())!.Status);
        Assert.True(sawBye, "RTCP BYE before the TEARDOWN response");
    }

    internal static uint ParseSsrc(string transport)
    {
        var match = System.Text.RegularExpressions.Regex.Match(transport, "ssrc=([0-9A-F]{8})");
        Assert.True(match.Success, transport);
        return uint.Parse(match.Groups[1].Value, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    private static void AssertSenderReport(byte[] compound, uint ssrc, uint lastRtpTime, DateTime wall, out uint packets)
    {
        Assert.Equal([200, 202], PacketTypes(compound));
        Assert.Equal(ssrc, BinaryPrimitives.ReadUInt32BigEndian(compound.AsSpan(4)));
        var ntp = BinaryPrimitives.ReadUInt64BigEndian(compound.AsSpan(8));
        var ntpWall = new DateTime(1900, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds((ntp >> 32) + ((ntp & 0xFFFF_FFFF) / 4294967296.0));
        Assert.True(Math.Abs((ntpWall - wall).TotalSeconds) < 2, $"NTP time {ntpWall:O} vs now {wall:O}");

        // The SR's RTP time is "now" on the stream clock: close to the latest RTP packet's (live frames are stamped at capture).
        // The first SR follows the first frame sent, which may be the cached GOP's keyframe: then
        // "now" is ahead of it by that GOP's age (up to 1 s at GOP 30), plus 0.5 s for a loaded machine.
        var rtpTime = BinaryPrimitives.ReadUInt32BigEndian(compound.AsSpan(16));
        var ahead = unchecked((int)(rtpTime - lastRtpTime));
        Assert.InRange(ahead, -45_000, 90_000 + 45_000);
        packets = BinaryPrimitives.ReadUInt32BigEndian(compound.AsSpan(20));
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(compound.AsSpan(24)) > packets * 100, "octet count");
        Assert.Equal(ssrc, BinaryPrimitives.ReadUInt32BigEndian(compound.AsSpan(32)));
        Assert.Equal(1, compound[36]); // CNAME
    }

    private static List<int> PacketTypes(byte[] compound)
    {
        var types = new List<int>();
        var reader = new RtcpPacketReader(compound);
        while (reader.Next(out var type, out _, out _) == RtcpParseResult.Ok)
        {
            types.Add(type);
        }

        return types;
    }

    private static bool ContainsType(byte[] compound, byte type) => PacketTypes(compound).Contains(type);

    private static async Task<uint> LastRtpTimestampAsync(Socket rtp, TimeSpan window)
    {
        uint last = 0;
        var until = DateTime.UtcNow + window;
        while (DateTime.UtcNow < until)
        {
            var packet = await ReceiveAsync(rtp, TimeSpan.FromSeconds(3));
            last = BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(4));
        }

        return last;
    }

    private static async Task<byte[]> ReceiveAsync(Socket socket, TimeSpan timeout)
    {
        var buffer = new byte[2048];
        using var cts = new CancellationTokenSource(timeout);
        var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
        return buffer[..received];
    }

    private static async Task<byte[]> ReceiveUntilAsync(Socket socket, Func<byte[], bool> match, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var packet = await ReceiveAsync(socket, until - DateTime.UtcNow);
            if (match(packet))
            {
                return packet;
            }
        }
    }

    internal static async Task<T> WaitForAsync<T>(Func<T?> probe)
        where T : class
    {
        for (var i = 0; i < 200; i++)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(30);
        }

        throw new Xunit.Sdk.XunitException("condition not met after 200 polls 30 ms apart");
    }
}
