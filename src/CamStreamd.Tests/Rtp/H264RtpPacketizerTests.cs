using CamStreamd.Media;
using CamStreamd.Rtp;
using static CamStreamd.Tests.Rtp.RtpTestStreams;

namespace CamStreamd.Tests.Rtp;

public class H264RtpPacketizerTests
{
    private readonly AccessUnitPool _pool = new(1024, 16);

    public static TheoryData<int[]> NalSizes => new()
    {
        new[] { 10 },
        new[] { 1388 },          // exactly the single-NAL limit: 12 + 1388 = 1400
        new[] { 1389 },          // one byte over: FU-A
        new[] { 1387, 1389, 1390 },
        new[] { 1401 },
        new[] { 2 * 1386 + 1 },  // payload that splits into three fragments
        new[] { 50_000 },
        new[] { 5, 3000, 7, 1388, 1389, 200_000, 1 },
    };

    [Theory]
    [MemberData(nameof(NalSizes))]
    public void Round_trip_restores_the_nal_units_byte_for_byte(int[] sizes)
    {
        var nals = Keyframe(100, 1).Concat(sizes.Select((s, i) => Nal(0x65, s, 100 + i))).ToArray();
        var packetizer = new H264RtpPacketizer(0x1234_5678, 1000, 555);
        var unit = Unit(_pool, nals, 0, 90_000);
        packetizer.Prepare(unit);

        var depacketizer = new H264Depacketizer();
        var packets = Packets(unit);
        Assert.All(packets, p => Assert.InRange(p.Length, RtpHeader.FixedLength + 1, 1400));
        foreach (var packet in packets)
        {
            Assert.Equal(H264DepacketizeResult.Accepted, depacketizer.Push(packet));
        }

        Assert.True(depacketizer.TryReadAccessUnit(out var au));
        Assert.Equal(ExpectedAfterRoundTrip(nals), au.AnnexB.ToArray());
        Assert.True(au.IsKeyframe);
        Assert.Equal(unit.Rtp.RtpTimestamp, au.RtpTimestamp);
        Assert.False(depacketizer.TryReadAccessUnit(out _));
        unit.Release();
    }

    [Theory]
    [InlineData(1388, 1, 1400)]
    [InlineData(1389, 2, 12 + 2 + 694)]
    [InlineData(1, 1, 13)]
    public void Single_nal_limit_is_max_packet_size_minus_header(int nalLength, int expectedPackets, int firstPacketLength)
    {
        var packetizer = new H264RtpPacketizer(1, 0, 0);
        var unit = Unit(_pool, [Nal(0x41, nalLength, 7)], 0, 0);
        packetizer.Prepare(unit);
        Assert.Equal(expectedPackets, unit.Rtp.PacketCount);
        Assert.Equal(firstPacketLength, unit.Rtp.GetPacket(0).Length);
        unit.Release();
    }

    [Fact]
    public void Fragments_carry_fu_indicator_and_start_end_bits_without_repeating_the_nal_header()
    {
        var nal = Nal(0x65, 5000, 3); // NRI = 3, type 5
        var packetizer = new H264RtpPacketizer(1, 0, 0, maxPacketSize: 1400);
        var unit = Unit(_pool, [nal], 0, 0);
        packetizer.Prepare(unit);
        var packets = Packets(unit);
        Assert.Equal(4, packets.Count); // 4999 body bytes / 1386 per fragment
        var body = new List<byte>();
        for (var i = 0; i < packets.Count; i++)
        {
            var p = packets[i];
            Assert.Equal(0x60 | 28, p[12]);                      // F=0, NRI=3, type 28
            Assert.Equal(i == 0, (p[13] & 0x80) != 0);            // S
            Assert.Equal(i == packets.Count - 1, (p[13] & 0x40) != 0); // E
            Assert.Equal(0, p[13] & 0x20);                        // R
            Assert.Equal(5, p[13] & 0x1F);
            body.AddRange(p[14..]);
        }

        Assert.Equal(nal[1..], body.ToArray());
        unit.Release();
    }

    [Fact]
    public void Marker_bit_only_on_the_last_packet_of_each_access_unit_and_header_fields_are_set()
    {
        var packetizer = new H264RtpPacketizer(0xCAFEBABE, 10, 0x1000, payloadType: 97);
        var unit = Unit(_pool, [.. Keyframe(4000, 1), .. PFrame(30, 9)], 0, 123_456);
        packetizer.Prepare(unit);
        var packets = Packets(unit);
        Assert.True(packets.Count > 5);
        for (var i = 0; i < packets.Count; i++)
        {
            Assert.True(RtpHeader.TryRead(packets[i], out var h, out _, out _) == RtpParseResult.Ok);
            Assert.Equal(i == packets.Count - 1, h.Marker);
            Assert.Equal(97, h.PayloadType);
            Assert.Equal(0xCAFEBABE, h.Ssrc);
            Assert.Equal((ushort)(10 + i), h.SequenceNumber);
            Assert.Equal((uint)(unit.Timestamp90k + 0x1000), h.Timestamp);
        }

        Assert.Equal(10, unit.Rtp.FirstSequenceNumber);
        Assert.Equal(0xCAFEBABE, unit.Rtp.Ssrc);
        Assert.Equal((uint)(unit.Timestamp90k + 0x1000), unit.Rtp.RtpTimestamp);
        unit.Release();
    }

    [Fact]
    public void Access_unit_delimiters_are_dropped_and_other_nals_kept_in_band()
    {
        var packetizer = new H264RtpPacketizer(1, 0, 0);
        var unit = Unit(_pool, Keyframe(50, 2), 0, 0);
        packetizer.Prepare(unit);
        var types = Packets(unit).Select(p => p[12] & 0x1F).ToArray();
        Assert.Equal(new[] { 7, 8, 6, 5 }, types);
        unit.Release();
    }

    [Fact]
    public void Sequence_numbers_are_continuous_across_access_units_and_wrap()
    {
        var packetizer = new H264RtpPacketizer(1, 65530, uint.MaxValue - 3000);
        var expected = (ushort)65530;
        var wrapped = false;
        uint? lastTimestamp = null;
        for (var frame = 0; frame < 10; frame++)
        {
            var unit = Unit(_pool, frame == 0 ? Keyframe(3000, frame) : PFrame(1500, frame), frame, frame * 3000L);
            packetizer.Prepare(unit);
            Assert.Equal(expected, unit.Rtp.FirstSequenceNumber);
            foreach (var p in Packets(unit))
            {
                RtpHeader.TryRead(p, out var h, out _, out _);
                Assert.Equal(expected, h.SequenceNumber);
                wrapped |= expected == 0;
                expected = unchecked((ushort)(expected + 1));
            }

            // Timestamps advance by 3000 (30 fps) modulo 2^32, through the offset's wrap.
            if (lastTimestamp is { } last)
            {
                Assert.Equal(unchecked(last + 3000u), unit.Rtp.RtpTimestamp, tolerance: 1);
            }

            lastTimestamp = unit.Rtp.RtpTimestamp;
            unit.Release();
        }

        Assert.True(wrapped);
        Assert.Equal(expected, packetizer.NextSequenceNumber);
    }

    [Theory]
    [InlineData(90_000, 90_000)]
    [InlineData(90_000, 45_000)]
    public void Units_stamped_alike_or_backwards_still_get_increasing_rtp_timestamps(long first90k, long second90k)
    {
        var packetizer = new H264RtpPacketizer(1, 0, 0);
        var a = Unit(_pool, Keyframe(100, 0), 0, first90k);
        var b = Unit(_pool, PFrame(100, 1), 1, second90k);
        var c = Unit(_pool, PFrame(100, 2), 2, first90k + 3000);
        packetizer.Prepare(a);
        packetizer.Prepare(b);
        packetizer.Prepare(c);

        // Offset 0: the RTP timestamp is the unit's own 90 kHz time unless that would not increase.
        Assert.Equal((uint)a.Timestamp90k, a.Rtp.RtpTimestamp);
        Assert.Equal(a.Rtp.RtpTimestamp + 1, b.Rtp.RtpTimestamp);
        Assert.Equal((uint)c.Timestamp90k, c.Rtp.RtpTimestamp);
        a.Release();
        b.Release();
        c.Release();
    }

    [Fact]
    public void Counters_count_packets_and_payload_octets()
    {
        var packetizer = new H264RtpPacketizer(1, 0, 0);
        var unit = Unit(_pool, [Nal(0x41, 100, 1), Nal(0x41, 3000, 2)], 0, 0);
        packetizer.Prepare(unit);
        var packets = Packets(unit);
        Assert.Equal(packets.Count, packetizer.PacketsSent);
        Assert.Equal(packets.Sum(p => p.Length - 12), packetizer.OctetsSent);
        Assert.Equal(100 + 3 * 2 + 2999, packetizer.OctetsSent); // three fragments of the 3000-byte NAL
        unit.Release();
    }

    [Fact]
    public void Random_packetizers_get_different_identifiers()
    {
        var a = H264RtpPacketizer.CreateRandom();
        var b = H264RtpPacketizer.CreateRandom();
        Assert.False(a.Ssrc == b.Ssrc && a.NextSequenceNumber == b.NextSequenceNumber && a.TimestampOffset == b.TimestampOffset);
        Assert.Equal(96, a.PayloadType);
        Assert.Equal(90_000, H264RtpPacketizer.ClockRate);
    }

    [Fact]
    public void Prepare_allocates_nothing_in_steady_state()
    {
        var packetizer = new H264RtpPacketizer(1, 0, 0);
        var key = Unit(_pool, Keyframe(60_000, 1), 0, 0);
        var delta = Unit(_pool, [.. PFrame(9000, 2), Nal(0x41, 20, 3)], 1, 3000);
        for (var i = 0; i < 10; i++)
        {
            packetizer.Prepare(key);
            packetizer.Prepare(delta);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            packetizer.Prepare(key);
            packetizer.Prepare(delta);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(key.Rtp.PacketCount > 40);
        key.Release();
        delta.Release();
    }
}
