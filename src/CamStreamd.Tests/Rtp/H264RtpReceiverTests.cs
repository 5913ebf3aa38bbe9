using CamStreamd.Media;
using CamStreamd.Rtp;
using static CamStreamd.Tests.Rtp.RtpTestStreams;

namespace CamStreamd.Tests.Rtp;

/// <summary>
/// The pull client's receive path for UDP (reorder buffer, then depacketizer): reordered packets
/// still give every access unit intact; duplicates change nothing; a loss drops the damaged units
/// and resumes on the next IDR; receiver reports describe what arrived.
/// </summary>
public class H264RtpReceiverTests
{
    private readonly AccessUnitPool _pool = new(1024, 64);

    private sealed class Collector : IH264UnitReceiver
    {
        public List<(byte[] Data, bool Key, bool AfterLoss)> Units { get; } = [];

        public void OnAccessUnit(ReadOnlySpan<byte> annexB, uint rtpTimestamp, bool keyframe, bool afterLoss) => Units.Add((annexB.ToArray(), keyframe, afterLoss));
    }

    private (List<List<byte[]>> Frames, List<byte[]> Expected) Stream(int frames, int keyEvery)
    {
        var packetizer = new H264RtpPacketizer(42, 65000, 0, maxPacketSize: 600);
        var packets = new List<List<byte[]>>();
        var expected = new List<byte[]>();
        for (var i = 0; i < frames; i++)
        {
            var nals = i % keyEvery == 0 ? Keyframe(3000, i) : PFrame(1500, i);
            var unit = Unit(_pool, nals, i, i * 3000L);
            packetizer.Prepare(unit);
            packets.Add(Packets(unit));
            expected.Add(ExpectedAfterRoundTrip(nals));
            unit.Release();
        }

        return (packets, expected);
    }

    private static H264RtpReceiver Receiver(Collector collector, UpstreamCounters? counters = null) =>
        new(96, 90000, new RtpReorderBuffer(RtpReorderBuffer.DefaultCapacity, 1000), 1 << 20, collector, counters);

    [Fact]
    public void Packets_swapped_in_pairs_give_every_unit_intact()
    {
        var (frames, expected) = Stream(10, 5);
        var all = frames.SelectMany(f => f).ToList();
        // The first packet stays first: the buffer starts at the first number it sees.
        for (var i = 1; i + 1 < all.Count; i += 2)
        {
            (all[i], all[i + 1]) = (all[i + 1], all[i]);
        }

        var collector = new Collector();
        var counters = new UpstreamCounters();
        var receiver = Receiver(collector, counters);
        foreach (var packet in all)
        {
            receiver.OnRtp(packet, 0);
        }

        // The last unit completes when the next timestamp comes (its marker packet may have come early).
        Assert.Equal(expected.Take(collector.Units.Count), collector.Units.Select(u => u.Data));
        Assert.True(collector.Units.Count >= expected.Count - 1);
        Assert.Equal(0, counters.PacketsLost);
        Assert.Equal(all.Count, counters.PacketsReceived);
    }

    [Fact]
    public void Duplicated_packets_change_nothing()
    {
        var (frames, expected) = Stream(6, 3);
        var collector = new Collector();
        var receiver = Receiver(collector);
        foreach (var packet in frames.SelectMany(f => f))
        {
            receiver.OnRtp(packet, 0);
            receiver.OnRtp(packet, 0);
        }

        Assert.Equal(expected, collector.Units.Select(u => u.Data));
        Assert.Equal(0, receiver.Depacketizer.PacketsLost);
    }

    [Fact]
    public void A_lost_packet_drops_units_until_the_next_keyframe()
    {
        var (frames, expected) = Stream(10, 5);
        var collector = new Collector();
        var counters = new UpstreamCounters();
        var receiver = new H264RtpReceiver(96, 90000, new RtpReorderBuffer(4, 1000), 1 << 20, collector, counters);
        for (var f = 0; f < frames.Count; f++)
        {
            for (var p = 0; p < frames[f].Count; p++)
            {
                if (f == 2 && p == 1)
                {
                    continue;
                }

                receiver.OnRtp(frames[f][p], 0);
            }
        }

        // Units 0 and 1 pass, 2 (damaged) to 4 wait, 5 (IDR) resumes, flagged as following a loss.
        Assert.Equal([expected[0], expected[1], .. expected[5..]], collector.Units.Select(u => u.Data));
        Assert.Equal([false, false, true, false, false, false, false], collector.Units.Select(u => u.AfterLoss));
        Assert.True(collector.Units[2].Key);
        Assert.Equal(1, counters.PacketsLost);
        Assert.True(counters.AccessUnitsDropped >= 3);
    }

    [Fact]
    public void Other_payload_types_are_ignored()
    {
        var (frames, _) = Stream(2, 2);
        var collector = new Collector();
        var receiver = new H264RtpReceiver(97, 90000, null, 1 << 20, collector, null);
        foreach (var packet in frames.SelectMany(f => f))
        {
            receiver.OnRtp(packet, 0);
        }

        Assert.Empty(collector.Units);
        Assert.Equal(frames.Sum(f => f.Count), receiver.PacketsIgnored);
    }

    [Fact]
    public void The_receiver_report_reads_back_with_loss_and_the_last_sender_report()
    {
        var (frames, _) = Stream(4, 4);
        var collector = new Collector();
        var receiver = Receiver(collector);
        var all = frames.SelectMany(f => f).ToList();
        all.RemoveAt(3);
        foreach (var packet in all)
        {
            receiver.OnRtp(packet, 0);
        }

        Span<byte> sr = stackalloc byte[RtcpSenderReport.Length];
        RtcpSenderReport.Write(sr, 42, 0x0102030405060708UL, 0, 0, 0);
        receiver.OnRtcp(sr, System.Diagnostics.Stopwatch.Frequency);
        var report = new byte[256];
        var length = receiver.WriteReceiverReport(report, 0xABCD, "camstreamd", 3 * System.Diagnostics.Stopwatch.Frequency);

        Assert.Equal(RtcpParseResult.Ok, RtcpReceiverReport.TryFind(report.AsSpan(0, length), 42, out var block));
        Assert.Equal(0xABCDu, block.ReporterSsrc);
        Assert.Equal(1, block.CumulativeLost);
        Assert.Equal((uint)(65000 + all.Count), block.HighestSequence);
        Assert.Equal(0x03040506u, block.LastSenderReport);
        Assert.Equal(2u * 65536, block.DelaySinceLastSenderReport);
        Assert.True(block.FractionLost > 0);
    }

    [Fact]
    public void While_waiting_for_an_idr_the_report_can_carry_a_picture_loss_indication_about_the_media()
    {
        var (frames, _) = Stream(6, 5);
        var collector = new Collector();
        var receiver = new H264RtpReceiver(96, 90000, null, 1 << 20, collector, null);
        var report = new byte[256];
        Assert.True(receiver.IsWaitingForKeyframe);
        Assert.Equal(0, receiver.WriteReceiverReport(report, 0xABCD, "c", 0, pictureLoss: true));

        // Joined after the IDR: P frames only, nothing handed on, still waiting.
        foreach (var packet in frames[1..5].SelectMany(f => f))
        {
            receiver.OnRtp(packet, 0);
        }

        Assert.Empty(collector.Units);
        Assert.True(receiver.IsWaitingForKeyframe);
        var length = receiver.WriteReceiverReport(report, 0xABCD, "c", 0, pictureLoss: true);
        var compound = report.AsSpan(0, length);

        // RR, SDES, then the PLI from us about the sender's SSRC (42), as RFC 4585 §3.1 orders them.
        var types = new List<(byte Type, int Count)>();
        var reader = new RtcpPacketReader(compound);
        while (reader.Next(out var type, out var count, out _) == RtcpParseResult.Ok)
        {
            types.Add((type, count));
        }

        Assert.Equal([(RtcpPacketReader.PacketTypeRr, 1), (RtcpPacketReader.PacketTypeSdes, 1), (RtcpPacketReader.PacketTypePayloadFeedback, RtcpPictureLossIndication.FormatPictureLoss)], types);
        Assert.Equal([0x81, 206, 0, 2, 0, 0, 0xAB, 0xCD, 0, 0, 0, 42], compound[^RtcpPictureLossIndication.Length..].ToArray());
        Assert.True(RtcpPictureLossIndication.RequestsKeyframe(compound, 42));
        Assert.False(RtcpPictureLossIndication.RequestsKeyframe(report.AsSpan(0, receiver.WriteReceiverReport(report, 0xABCD, "c", 0)), 42));

        // The IDR ends the wait.
        foreach (var packet in frames[5])
        {
            receiver.OnRtp(packet, 0);
        }

        Assert.Single(collector.Units);
        Assert.False(receiver.IsWaitingForKeyframe);
    }

    [Fact]
    public void Steady_state_allocates_nothing_per_packet()
    {
        var (frames, _) = Stream(20, 5);
        var all = frames.SelectMany(f => f).ToList();
        var counted = new CountingReceiver();
        var tcp = new H264RtpReceiver(96, 90000, null, 1 << 20, counted, new UpstreamCounters());
        var udp = new H264RtpReceiver(96, 90000, new RtpReorderBuffer(RtpReorderBuffer.DefaultCapacity, 1000), 1 << 20, counted, new UpstreamCounters());
        foreach (var packet in all)
        {
            tcp.OnRtp(packet, 0);
            udp.OnRtp(packet, 0);
        }

        // The same stream again, shifted in sequence and time as a continuing sender would send it.
        var next = all.Select(p => Shift(p, all.Count, 20 * 3000)).ToList();
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var packet in next)
        {
            tcp.OnRtp(packet, 0);
            udp.OnRtp(packet, 0);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(counted.Units >= 2 * 39, $"{counted.Units} units");
    }

    private static byte[] Shift(byte[] packet, int sequenceOffset, uint timestampOffset)
    {
        var copy = (byte[])packet.Clone();
        var sequence = (ushort)(((copy[2] << 8) | copy[3]) + sequenceOffset);
        copy[2] = (byte)(sequence >> 8);
        copy[3] = (byte)sequence;
        var timestamp = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(copy.AsSpan(4)) + timestampOffset;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(copy.AsSpan(4), timestamp);
        return copy;
    }

    private sealed class CountingReceiver : IH264UnitReceiver
    {
        public int Units { get; private set; }

        public void OnAccessUnit(ReadOnlySpan<byte> annexB, uint rtpTimestamp, bool keyframe, bool afterLoss) => Units++;
    }
}
