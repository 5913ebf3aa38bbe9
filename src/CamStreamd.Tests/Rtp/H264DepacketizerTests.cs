using CamStreamd.Media;
using CamStreamd.Rtp;
using static CamStreamd.Tests.Rtp.RtpTestStreams;

namespace CamStreamd.Tests.Rtp;

public class H264DepacketizerTests
{
    private readonly AccessUnitPool _pool = new(1024, 64);

    /// <summary>A GOP: keyframe then P frames, each with its packets and expected output.</summary>
    private List<(List<byte[]> Packets, byte[] Expected, bool Key)> Stream(int frames, int keyEvery, ushort firstSequence = 100)
    {
        var packetizer = new H264RtpPacketizer(42, firstSequence, 0);
        var list = new List<(List<byte[]>, byte[], bool)>();
        for (var i = 0; i < frames; i++)
        {
            var key = i % keyEvery == 0;
            var nals = key ? Keyframe(4000, i * 10) : [.. PFrame(2500, i * 10), Nal(0x41, 100, (i * 10) + 1)];
            var unit = Unit(_pool, nals, i, i * 3000L);
            packetizer.Prepare(unit);
            list.Add((Packets(unit), ExpectedAfterRoundTrip(nals), key));
            unit.Release();
        }

        return list;
    }

    private static List<byte[]> Feed(H264Depacketizer d, IEnumerable<byte[]> packets, List<H264DepacketizeResult>? results = null)
    {
        var output = new List<byte[]>();
        foreach (var p in packets)
        {
            var r = d.Push(p);
            results?.Add(r);
            while (d.TryReadAccessUnit(out var au))
            {
                output.Add(au.AnnexB.ToArray());
            }
        }

        return output;
    }

    private static byte[] Rtp(ushort seq, uint ts, bool marker, params byte[] payload)
    {
        var p = new byte[12 + payload.Length];
        RtpHeader.Write(p, marker, 96, seq, ts, 1);
        payload.CopyTo(p, 12);
        return p;
    }

    [Fact]
    public void Whole_stream_round_trips()
    {
        var stream = Stream(12, 5, firstSequence: 65500);
        var d = new H264Depacketizer();
        var output = Feed(d, stream.SelectMany(f => f.Packets));
        Assert.Equal(stream.Select(f => f.Expected), output);
        Assert.Equal(0, d.PacketsLost);
        Assert.Equal(12, d.AccessUnitsEmitted);
    }

    [Fact]
    public void Duplicates_are_ignored()
    {
        var stream = Stream(4, 10);
        var packets = stream.SelectMany(f => f.Packets.SelectMany(p => new[] { p, p })).ToList();
        var d = new H264Depacketizer();
        var results = new List<H264DepacketizeResult>();
        Assert.Equal(stream.Select(f => f.Expected), Feed(d, packets, results));
        Assert.Equal(packets.Count / 2, results.Count(r => r == H264DepacketizeResult.DuplicateOrLate));
        Assert.Equal(0, d.PacketsLost);
    }

    [Fact]
    public void Loss_drops_the_unit_and_waits_for_the_next_keyframe()
    {
        var stream = Stream(10, 5);
        var packets = stream.SelectMany(f => f.Packets).ToList();
        var lost = stream[1].Packets[1]; // middle of the first P frame
        var d = new H264Depacketizer();
        var results = new List<H264DepacketizeResult>();
        var output = Feed(d, packets.Where(p => p != lost), results);

        // Frame 0 arrives, frames 1..4 are dropped, frames 5..9 (keyframe first) arrive.
        Assert.Equal(new[] { stream[0].Expected }.Concat(stream.Skip(5).Select(f => f.Expected)), output);
        Assert.Equal(1, d.PacketsLost);
        Assert.Equal(4, d.AccessUnitsDropped);
        Assert.Contains(H264DepacketizeResult.WaitingForKeyframe, results);
        Assert.Contains(H264DepacketizeResult.DiscardedDamagedAccessUnit, results);
        Assert.False(d.IsWaitingForKeyframe);
    }

    [Fact]
    public void Loss_of_a_fragment_inside_a_keyframe_is_not_emitted()
    {
        var stream = Stream(7, 5);
        var packets = stream.SelectMany(f => f.Packets).ToList();
        var lost = stream[5].Packets[5]; // an FU-A of the second keyframe's IDR slice
        var d = new H264Depacketizer();
        var output = Feed(d, packets.Where(p => p != lost));
        Assert.Equal(stream.Take(5).Select(f => f.Expected), output);
        Assert.True(d.IsWaitingForKeyframe);
    }

    [Fact]
    public void Reordered_packets_never_produce_a_corrupt_unit()
    {
        var stream = Stream(10, 3);
        var packets = stream.SelectMany(f => f.Packets).ToList();
        (packets[7], packets[8]) = (packets[8], packets[7]);
        (packets[30], packets[31]) = (packets[31], packets[30]);
        var d = new H264Depacketizer();
        var output = Feed(d, packets);
        var valid = stream.Select(f => Convert.ToHexString(f.Expected)).ToHashSet();
        Assert.All(output, o => Assert.Contains(Convert.ToHexString(o), valid));
        Assert.True(d.PacketsLost >= 2);
        Assert.True(d.PacketsDuplicateOrLate >= 2);
        Assert.NotEmpty(output);
    }

    [Fact]
    public void Timestamp_change_completes_a_unit_without_marker()
    {
        var d = new H264Depacketizer(requireKeyframeFirst: false);
        Assert.Equal(H264DepacketizeResult.Accepted, d.Push(Rtp(1, 1000, false, 0x67, 1, 2)));
        Assert.Equal(H264DepacketizeResult.Accepted, d.Push(Rtp(2, 1000, false, 0x65, 0x88)));
        Assert.False(d.TryReadAccessUnit(out _));
        Assert.Equal(H264DepacketizeResult.Accepted, d.Push(Rtp(3, 4000, true, 0x41, 0x9A)));
        Assert.True(d.TryReadAccessUnit(out var first));
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 0, 1, 0x65, 0x88 }, first.AnnexB.ToArray());
        Assert.Equal(1000u, first.RtpTimestamp);
        Assert.True(first.IsKeyframe);
        Assert.True(d.TryReadAccessUnit(out var second));
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0x41, 0x9A }, second.AnnexB.ToArray());
        Assert.False(second.IsKeyframe);
        Assert.False(d.TryReadAccessUnit(out _));
    }

    [Fact]
    public void Stap_a_is_split_into_its_nal_units()
    {
        var d = new H264Depacketizer();
        var r = d.Push(Rtp(1, 0, true, 0x78, 0, 3, 0x67, 1, 2, 0, 2, 0x68, 3, 0, 2, 0x65, 0x88));
        Assert.Equal(H264DepacketizeResult.Accepted, r);
        Assert.True(d.TryReadAccessUnit(out var au));
        Assert.Equal(new byte[] { 0, 0, 0, 1, 0x67, 1, 2, 0, 0, 0, 1, 0x68, 3, 0, 0, 0, 1, 0x65, 0x88 }, au.AnnexB.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x78, 0, 5, 0x67, 1 }, H264DepacketizeResult.MalformedAggregate)]
    [InlineData(new byte[] { 0x78, 0, 0 }, H264DepacketizeResult.MalformedAggregate)]
    [InlineData(new byte[] { 0x78, 0, 1, 0x67, 0 }, H264DepacketizeResult.MalformedAggregate)]
    [InlineData(new byte[] { 0x7C, 0xC5, 1 }, H264DepacketizeResult.MalformedFragment)]   // S and E
    [InlineData(new byte[] { 0x7C, 0x05, 1 }, H264DepacketizeResult.MalformedFragment)]   // continuation without start
    [InlineData(new byte[] { 0x7C, 0x98, 1 }, H264DepacketizeResult.MalformedFragment)]   // fragment of a STAP-A
    [InlineData(new byte[] { 0x7C }, H264DepacketizeResult.MalformedFragment)]
    [InlineData(new byte[] { 0x79, 1, 2 }, H264DepacketizeResult.UnsupportedPacketType)]  // STAP-B
    [InlineData(new byte[] { 0x7D, 0x85, 1 }, H264DepacketizeResult.UnsupportedPacketType)] // FU-B
    [InlineData(new byte[] { 0x00, 1 }, H264DepacketizeResult.UnsupportedPacketType)]
    [InlineData(new byte[] { }, H264DepacketizeResult.EmptyPayload)]
    public void Malformed_payloads_are_reported(byte[] payload, H264DepacketizeResult expected)
    {
        var d = new H264Depacketizer(requireKeyframeFirst: false);
        Assert.Equal(H264DepacketizeResult.Accepted, d.Push(Rtp(1, 0, false, 0x09, 0xF0)));
        Assert.Equal(expected, d.Push(Rtp(2, 0, true, payload)));
        Assert.False(d.TryReadAccessUnit(out _));
        Assert.Equal(1, d.PacketsMalformed);
    }

    [Fact]
    public void Malformed_headers_are_reported()
    {
        var d = new H264Depacketizer();
        Assert.Equal(H264DepacketizeResult.TooShort, d.Push(new byte[5]));
        Assert.Equal(H264DepacketizeResult.BadVersion, d.Push(new byte[20]));
        Assert.Equal(2, d.PacketsMalformed);
    }

    [Fact]
    public void Fuzzed_input_never_throws()
    {
        var random = new Random(20240601);
        var valid = Stream(6, 3).SelectMany(f => f.Packets).ToList();
        var d = new H264Depacketizer(maxAccessUnitSize: 256 * 1024, requireKeyframeFirst: false);
        for (var i = 0; i < 20_000; i++)
        {
            byte[] packet;
            if (i % 4 == 0)
            {
                packet = new byte[random.Next(0, 64)];
                random.NextBytes(packet);
                if (packet.Length > 0 && random.Next(2) == 0)
                {
                    packet[0] = (byte)(0x80 | (packet[0] & 0x3F));
                }
            }
            else
            {
                packet = (byte[])valid[random.Next(valid.Count)].Clone();
                var mutations = random.Next(1, 4);
                for (var m = 0; m < mutations; m++)
                {
                    packet[random.Next(packet.Length)] = (byte)random.Next(256);
                }

                if (random.Next(5) == 0)
                {
                    packet = packet[..random.Next(packet.Length)];
                }
            }

            var result = d.Push(packet);
            Assert.True(Enum.IsDefined(result));
            while (d.TryReadAccessUnit(out var au))
            {
                Assert.True(au.AnnexB.Length > 4);
                Assert.Equal(1, au.AnnexB[3]);
            }
        }

        Assert.True(d.PacketsMalformed > 0);
    }

    [Fact]
    public void Steady_state_allocates_nothing()
    {
        var packets = Stream(6, 3).SelectMany(f => f.Packets).ToList();
        var d = new H264Depacketizer();
        Feed(d, packets);
        var before = GC.GetAllocatedBytesForCurrentThread();
        long bytes = 0;
        for (var round = 0; round < 50; round++)
        {
            d.Reset();
            foreach (var p in packets)
            {
                d.Push(p);
                while (d.TryReadAccessUnit(out var au))
                {
                    bytes += au.AnnexB.Length;
                }
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(bytes > 0);
    }
}
