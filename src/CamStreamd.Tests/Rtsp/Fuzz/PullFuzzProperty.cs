using System.Buffers;
using System.Buffers.Binary;
using CamStreamd.Media;
using CamStreamd.Rtp;
using CamStreamd.Rtsp.Protocol;
using CamStreamd.Tests.Rtp;
using CamStreamd.Tests.Rtsp.TestSupport;

namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>
/// Fuzz targets for what the pull client reads from an upstream server:
/// <list type="bullet">
/// <item><c>rtsp-response</c>: <see cref="RtspResponseParser"/> never throws, every non-incomplete
/// result but an error consumes bytes, and the input cut at any point into two segments gives the
/// same results;</item>
/// <item><c>sdp</c>: <see cref="SdpParser"/> never throws and a track it finds has a payload type
/// of 0..127, a positive clock rate and packetization mode 0 or 1;</item>
/// <item><c>rtp-receive</c>: RTP packets in any order, duplicated or lost, through the UDP receive
/// path (<see cref="RtpReorderBuffer"/> then <see cref="H264Depacketizer"/>) never throw, the
/// buffer never gives out more packets than came in, and every access unit is Annex-B within the size limit.</item>
/// </list>
/// </summary>
internal static class PullFuzzProperty
{
    private const int MaxAccessUnit = 16 * 1024;
    private const int MaxSteps = FuzzMutator.MaxInputLength + 16;

    /// <summary>Response parser target; an input is what a server sends on the connection.</summary>
    public static FuzzTarget Response { get; } = new("rtsp-response", ResponseSeeds(), CheckResponse);

    /// <summary>SDP target.</summary>
    public static FuzzTarget Sdp { get; } = new("sdp", SdpSeeds(), CheckSdp);

    /// <summary>Receive path target; an input is a packet sequence, each packet preceded by its 16-bit big-endian length.</summary>
    public static FuzzTarget Receive { get; } = new("rtp-receive", ReceiveSeeds(), CheckReceive);

    private static byte[][] ResponseSeeds() =>
    [
        .. new[]
        {
            "RTSP/1.0 200 OK\r\nCSeq: 1\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, GET_PARAMETER, TEARDOWN\r\n\r\n",
            "RTSP/1.0 401 Unauthorized\r\nCSeq: 2\r\nWWW-Authenticate: Digest realm=\"r\", nonce=\"abc\", qop=\"auth\"\r\n\r\n",
            "RTSP/1.0 200 OK\r\nCSeq: 3\r\nContent-Base: rtsp://h/cam/\r\nContent-Type: application/sdp\r\nContent-Length: 10\r\n\r\nv=0\r\ns=x\r\n",
            "RTSP/1.0 200 OK\r\nCSeq: 4\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\nSession: abc;timeout=60\r\n\r\n$\u0000\u0000\u0004\u0080\u0060\u0000\u0001",
            "GET_PARAMETER rtsp://h/ RTSP/1.0\r\nCSeq: 7\r\n\r\nRTSP/1.0 302 Moved\r\nCSeq: 5\r\nLocation: rtsp://other/cam\r\n\r\n",
        }.Select(System.Text.Encoding.Latin1.GetBytes),
    ];

    private static byte[][] SdpSeeds() =>
    [
        .. new[]
        {
            "v=0\r\ns=x\r\na=control:*\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LAH4yNQKD5AeEQjUA=,aM48gA==\r\na=control:trackID=0\r\n",
            "v=0\r\nm=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\nm=video 0 RTP/AVP 26 97\r\na=rtpmap:97 H264/90000\r\na=fmtp:97 packetization-mode=0\r\n",
        }.Select(System.Text.Encoding.Latin1.GetBytes),
    ];

    private static byte[][] ReceiveSeeds()
    {
        var packets = new List<byte[]>();
        var pool = new AccessUnitPool(1024, 16);
        var packetizer = new H264RtpPacketizer(0x1234, 65530, 0, maxPacketSize: 300);
        for (var i = 0; i < 6; i++)
        {
            var nals = i % 3 == 0 ? RtpTestStreams.Keyframe(900, i) : RtpTestStreams.PFrame(400, i);
            var unit = RtpTestStreams.Unit(pool, nals, i, i * 3000L);
            packetizer.Prepare(unit);
            packets.AddRange(RtpTestStreams.Packets(unit));
            unit.Release();
        }

        var swapped = packets.ToList();
        (swapped[3], swapped[5]) = (swapped[5], swapped[3]);
        return [Framed(packets), Framed(swapped), Framed([.. packets.Take(6), packets[2], .. packets.Skip(8)])];
    }

    private static byte[] Framed(IEnumerable<byte[]> packets) => [.. packets.SelectMany(p => (byte[])[(byte)(p.Length >> 8), (byte)p.Length, .. p])];

    private static void CheckResponse(byte[] input)
    {
        var whole = ParseAll(new ReadOnlySequence<byte>(input), input.Length);
        if (input.Length > 1)
        {
            var at = 1 + (input.Length / 2);
            var split = ParseAll(Segments.Split(input, Math.Min(at, input.Length - 1)), input.Length);
            FuzzPropertyException.Require(whole.SequenceEqual(split), $"two segments gave [{string.Join(", ", split)}], one gave [{string.Join(", ", whole)}]");
        }
    }

    private static List<string> ParseAll(ReadOnlySequence<byte> buffer, int inputLength)
    {
        var results = new List<string>();
        for (var step = 0; step < MaxSteps; step++)
        {
            var before = buffer.Length;
            var result = RtspResponseParser.TryParse(ref buffer, out var response, out var request, out var frame, out var error);
            FuzzPropertyException.Require(buffer.Length <= before && before <= inputLength, "the buffer grew");
            switch (result)
            {
                case RtspResponseParseResult.Incomplete:
                    results.Add("incomplete");
                    return results;
                case RtspResponseParseResult.Error:
                    results.Add("error " + error);
                    return results;
                case RtspResponseParseResult.Response:
                    results.Add($"response {response.StatusCode} {response.Headers.Count} {response.Body.Length}");
                    break;
                case RtspResponseParseResult.Request:
                    results.Add($"request {request.Method}");
                    break;
                case RtspResponseParseResult.InterleavedFrame:
                    results.Add($"frame {frame.Channel} {frame.Payload.Length}");
                    break;
            }

            FuzzPropertyException.Require(buffer.Length < before, $"{result} consumed nothing");
        }

        throw new FuzzPropertyException("the parser did not finish");
    }

    private static void CheckSdp(byte[] input)
    {
        foreach (var text in (string[])[System.Text.Encoding.UTF8.GetString(input), System.Text.Encoding.Latin1.GetString(input)])
        {
            if (SdpParser.TryParseH264(text, out var track, out _))
            {
                FuzzPropertyException.Require(track.PayloadType is >= 0 and <= 127 && track.ClockRate > 0 && track.PacketizationMode is 0 or 1, $"bad track {track}");
            }
        }
    }

    private static void CheckReceive(byte[] input)
    {
        var units = new UnitCheck();
        var reorder = new RtpReorderBuffer(input.Length % 2 == 0 ? 8 : 64, 3);
        var receiver = new H264RtpReceiver(96, 90000, reorder, MaxAccessUnit, units, new UpstreamCounters());
        var pushed = 0;
        var offset = 0;
        var time = 0L;
        while (offset + 2 <= input.Length)
        {
            var length = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(input.AsSpan(offset)), input.Length - offset - 2);
            receiver.OnRtp(input.AsSpan(offset + 2, length), time++);
            receiver.OnRtcp(input.AsSpan(offset + 2, length), time);
            pushed++;
            offset += 2 + length;
        }

        FuzzPropertyException.Require(reorder.PacketsOut <= pushed, $"{reorder.PacketsOut} packets out of {pushed} in");
        var report = new byte[256];
        receiver.WriteReceiverReport(report, 1, "fuzz", time);
    }

    private sealed class UnitCheck : IH264UnitReceiver
    {
        public void OnAccessUnit(ReadOnlySpan<byte> annexB, uint rtpTimestamp, bool keyframe, bool afterLoss)
        {
            FuzzPropertyException.Require(annexB.Length <= MaxAccessUnit, $"an access unit of {annexB.Length} bytes passed the limit");
            FuzzPropertyException.Require(annexB.Length >= 5 && annexB[..4].SequenceEqual((byte[])[0, 0, 0, 1]), "an access unit does not start with a 4-byte start code");
        }
    }
}
