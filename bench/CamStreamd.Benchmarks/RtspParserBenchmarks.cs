using System.Buffers;
using BenchmarkDotNet.Attributes;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Benchmarks;

/// <summary>
/// The RTSP parser on what a playing client sends: interleaved RTCP receiver reports (per packet,
/// on the data path) and GET_PARAMETER keep-alives (per request, the control path).
/// </summary>
public class RtspParserBenchmarks
{
    private static readonly byte[] ReceiverReport =
    [
        0x24, 0x01, 0x00, 0x20, // '$', channel 1, 32 bytes
        0x81, 0xC9, 0x00, 0x07, 0x11, 0x22, 0x33, 0x44, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    ];

    private static readonly byte[] KeepAlive = System.Text.Encoding.ASCII.GetBytes(
        "GET_PARAMETER rtsp://127.0.0.1:8554/cam0/ RTSP/1.0\r\nCSeq: 7\r\nSession: 0123456789ABCDEF\r\nUser-Agent: rtspload\r\n\r\n");

    /// <summary>One interleaved RTCP packet.</summary>
    [Benchmark(OperationsPerInvoke = 1)]
    public int ParseInterleavedFrame()
    {
        var buffer = new ReadOnlySequence<byte>(ReceiverReport);
        var result = RtspParser.TryParse(ref buffer, out _, out _, out var frame);
        return result == RtspParseResult.InterleavedFrame ? frame.Channel : -1;
    }

    /// <summary>One keep-alive request (allocates its request object and header strings by design).</summary>
    [Benchmark(OperationsPerInvoke = 1)]
    public int ParseKeepAliveRequest()
    {
        var buffer = new ReadOnlySequence<byte>(KeepAlive);
        var result = RtspParser.TryParse(ref buffer, out var request, out _);
        return result == RtspParseResult.Complete ? request.CSeq ?? -1 : -1;
    }
}
