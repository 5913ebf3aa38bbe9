using BenchmarkDotNet.Attributes;
using CamStreamd.Media;
using CamStreamd.Rtp;

namespace CamStreamd.Benchmarks;

/// <summary>The H.264 packetizer (RFC 6184 FU-A) writing one 16.7 KB frame into its reused packet block.</summary>
public class PacketizerBenchmarks
{
    private readonly H264RtpPacketizer _packetizer = new(0x12345678, 1, 0);
    private AccessUnit _unit = null!;
    private long _number;

    /// <summary>Prepares a unit and packetizes it once so its block has grown to size.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _unit = SampleUnits.Rent(new AccessUnitPool(), SampleUnits.Frame(keyframe: false), 0, keyframe: false);
        _packetizer.Prepare(_unit);
        if (_unit.Rtp.PacketCount != SampleUnits.PacketsPerFrame)
        {
            throw new InvalidOperationException($"expected {SampleUnits.PacketsPerFrame} packets, got {_unit.Rtp.PacketCount}");
        }
    }

    /// <summary>One frame: 12 RTP packets.</summary>
    [Benchmark(OperationsPerInvoke = SampleUnits.PacketsPerFrame)]
    public int PacketizeFrame()
    {
        _unit.SetMetadata(++_number * System.Diagnostics.Stopwatch.Frequency / 30, isKeyframe: false, _number);
        _packetizer.Prepare(_unit);
        return _unit.Rtp.PacketCount;
    }
}
