using CamStreamd.Rtp;

namespace CamStreamd.Tests.Rtp;

public class RtpReorderBufferTests
{
    private const long Wait = 50;

    private static byte[] Packet(ushort sequence)
    {
        var packet = new byte[16];
        RtpHeader.Write(packet, false, 96, sequence, 0, 7);
        packet[12] = (byte)sequence;
        return packet;
    }

    private static List<int> Push(RtpReorderBuffer buffer, IEnumerable<int> sequences, long time = 0)
    {
        var output = new List<int>();
        foreach (var sequence in sequences)
        {
            buffer.Push(Packet((ushort)sequence), time);
            while (buffer.TryRead(out var packet))
            {
                output.Add((packet[2] << 8) | packet[3]);
            }
        }

        return output;
    }

    [Fact]
    public void In_order_packets_pass_at_once()
    {
        var buffer = new RtpReorderBuffer(8, Wait);
        Assert.Equal([65534, 65535, 0, 1, 2], Push(buffer, [65534, 65535, 0, 1, 2]));
        Assert.Equal((5, 0, 0), (buffer.PacketsOut, buffer.PacketsLost, buffer.PacketsReordered));
    }

    [Fact]
    public void Reordered_packets_come_out_in_order()
    {
        var buffer = new RtpReorderBuffer(8, Wait);
        Assert.Equal([10, 11, 12, 13, 14, 15, 16], Push(buffer, [10, 12, 11, 15, 13, 14, 16]));
        Assert.Equal(0, buffer.PacketsLost);
        Assert.Equal(2, buffer.PacketsReordered);
    }

    [Fact]
    public void Duplicates_and_late_packets_are_dropped()
    {
        var buffer = new RtpReorderBuffer(8, Wait);
        Assert.Equal([1, 2, 3, 4], Push(buffer, [1, 2, 2, 4, 4, 3, 1]));
        Assert.Equal(3, buffer.PacketsDroppedLate);
    }

    [Fact]
    public void A_lost_packet_is_given_up_when_the_window_fills()
    {
        var buffer = new RtpReorderBuffer(4, Wait);
        Assert.Equal([1], Push(buffer, [1, 3, 4, 5]));
        Assert.Equal([3, 4, 5, 6], Push(buffer, [6]));
        Assert.Equal(1, buffer.PacketsLost);
    }

    [Fact]
    public void A_lost_packet_is_given_up_after_the_wait()
    {
        var buffer = new RtpReorderBuffer(64, Wait);
        Assert.Equal([1], Push(buffer, [1, 3], time: 0));
        Assert.Equal([3, 4], Push(buffer, [4], time: Wait + 1));
        Assert.Equal(1, buffer.PacketsLost);
    }

    [Fact]
    public void A_restarted_sender_is_followed_at_its_new_numbers()
    {
        var buffer = new RtpReorderBuffer(8, Wait);
        Assert.Equal([100, 101], Push(buffer, [100, 101, 103]));
        Assert.Equal([103, 40000, 40001], Push(buffer, [40000, 40001]));
        Assert.Equal(1, buffer.Resyncs);
    }

    [Fact]
    public void A_packet_released_by_a_push_keeps_its_bytes_when_the_pushed_packet_takes_its_slot()
    {
        // 11 is too far ahead for a window of 8: 1 and 2 are given up, 3 comes out, and 11 is held in 3's slot (11 % 8).
        var buffer = new RtpReorderBuffer(8, Wait);
        Push(buffer, [0]);
        buffer.Push(Packet(3), 0);
        buffer.Push(Packet(11), 0);
        Assert.True(buffer.TryRead(out var released));
        Assert.Equal((3, 3), ((released[2] << 8) | released[3], (int)released[12]));
        Assert.False(buffer.TryRead(out _));
        Assert.Equal(2, buffer.PacketsLost);

        Assert.Equal([11, 12], Push(buffer, [12], time: Wait + 1));
    }

    [Fact]
    public void Short_packets_are_counted_and_dropped()
    {
        var buffer = new RtpReorderBuffer(8, Wait);
        buffer.Push(new byte[5], 0);
        Assert.False(buffer.TryRead(out _));
        Assert.Equal(1, buffer.PacketsMalformed);
    }

    [Fact]
    public void Steady_state_allocates_nothing()
    {
        var buffer = new RtpReorderBuffer(16, Wait);
        var packets = Enumerable.Range(0, 64).Select(i => Packet((ushort)i)).ToArray();
        int[] order = [1, 0, 3, 2, 5, 4, 7, 6];
        for (var round = 0; round < 4; round++)
        {
            foreach (var i in order)
            {
                buffer.Push(packets[(round * 8) + i], 0);
                while (buffer.TryRead(out _))
                {
                }
            }
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var round = 4; round < 8; round++)
        {
            foreach (var i in order)
            {
                buffer.Push(packets[(round * 8) + i], 0);
                while (buffer.TryRead(out _))
                {
                }
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
