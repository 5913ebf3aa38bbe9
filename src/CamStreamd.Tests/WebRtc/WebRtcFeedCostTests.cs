using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.Tests.Rtp;
using CamStreamd.WebRtc.Feed;
using Xunit.Abstractions;

namespace CamStreamd.Tests.WebRtc;

/// <summary>
/// What the feed costs: a 30 fps stream of about 2 Mbit/s (a 60 KB IDR each second, 6 KB frames
/// between) played by 0, 1 and 10 sessions over loopback UDP for 5 s each; process CPU per second
/// of stream and bytes allocated per packet sent. Figures go to the test output (and the report).
/// </summary>
public sealed class WebRtcFeedCostTests(ITestOutputHelper output)
{
    private static readonly byte[] KeyframeBytes = RtpTestStreams.AnnexB(RtpTestStreams.Keyframe(60_000, 1));
    private static readonly byte[] FrameBytes = RtpTestStreams.AnnexB(RtpTestStreams.PFrame(6_000, 2));

    [Fact]
    public void Fan_out_cost_at_0_1_and_10_sessions()
    {
        Run(10); // JIT and tiering out of the way
        var idle = Run(0);
        var one = Run(1);
        var ten = Run(10);

        output.WriteLine($"publishing only: {idle.CpuMsPerSecond:0.0} CPU-ms/s, {idle.Allocated} B allocated");
        output.WriteLine($"1 session: {one.CpuMsPerSecond:0.0} CPU-ms/s, {one.Packets} packets, {one.Allocated} B allocated");
        output.WriteLine($"10 sessions: {ten.CpuMsPerSecond:0.0} CPU-ms/s, {ten.Packets} packets, {ten.Allocated} B allocated");
        output.WriteLine($"feed, 1 session: {one.CpuMsPerSecond - idle.CpuMsPerSecond:0.0} CPU-ms/s; each further session: {(ten.CpuMsPerSecond - one.CpuMsPerSecond) / 9:0.00} CPU-ms/s ({(ten.CpuMsPerSecond - one.CpuMsPerSecond) * 1000 / (ten.PacketsPerSecond - one.PacketsPerSecond):0.0} µs per packet sent)");
        Assert.True(ten.Packets >= 10 * one.Packets * 0.9, $"10 sessions sent {ten.Packets} packets, 1 session {one.Packets}");
        // Steady state allocates nothing per packet: 10 sessions allocate no more than the publishing alone, give or take the runtime's own.
        var perPacket = (double)(ten.Allocated - idle.Allocated) / ten.Packets;
        Assert.True(perPacket < 4, $"{perPacket:0.0} bytes allocated per packet sent");
    }

    private static (double CpuMsPerSecond, long Packets, double PacketsPerSecond, long Allocated) Run(int sessions)
    {
        var pool = new AccessUnitPool();
        using var hub = new StreamHub("cost", 1280, 720, 30, 1 << 20, 300, preparer: null);
        using var feeds = new WebRtcStreamFeeds();
        using var port = new LoopbackSharedPort();
        var peers = Enumerable.Range(0, sessions).Select(_ => new BrowserMediaPeer(sharedPort: port)).ToList();
        var attached = peers.Select(p => feeds.Attach(hub, p.Setup)).ToList();
        try
        {
            // Warm-up second: JIT, first IDR, buffers at their high-water mark.
            Publish(hub, pool, 30, 0);
            var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var packetsBefore = attached.Sum(s => s.Stats.PacketsSent);
            var started = Stopwatch.GetTimestamp();
            Publish(hub, pool, 150, 30);
            Thread.Sleep(100);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var packets = attached.Sum(s => s.Stats.PacketsSent) - packetsBefore;
            return (cpu / elapsed, packets, packets / elapsed, allocated);
        }
        finally
        {
            foreach (var session in attached)
            {
                session.Dispose();
            }

            foreach (var peer in peers)
            {
                peer.Dispose();
            }
        }
    }

    private static void Publish(StreamHub hub, AccessUnitPool pool, int frames, int first)
    {
        var next = Stopwatch.GetTimestamp();
        for (var i = first; i < first + frames; i++)
        {
            var unit = pool.Rent();
            var keyframe = i % 30 == 0;
            unit.Set(keyframe ? KeyframeBytes : FrameBytes, Stopwatch.GetTimestamp(), keyframe, i);
            hub.Publish(unit);
            next += Stopwatch.Frequency / 30;
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero)
            {
                Thread.Sleep(wait);
            }
        }
    }
}
