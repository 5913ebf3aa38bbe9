using System.Net;
using System.Net.Sockets;
using CamStreamd.Interop.Libc;

namespace CamStreamd.Tests.Interop.Libc;

/// <summary>
/// UDP segmentation offload: how datagrams are grouped into segmented messages, and real sockets on
/// loopback receiving exactly the datagrams sent, segmented or after the kernel refused.
/// </summary>
public sealed unsafe class SegmentedDatagramsTests
{
    [Fact]
    public void Runs_of_one_length_are_grouped_each_ending_with_at_most_one_shorter_datagram()
    {
        int[] lengths = [100, 1222, 1222, 1222, 500, 1222, 1222, 30, 30, 1400];
        Assert.Equal([1, 4, 3, 1, 1], Group(lengths, segment: true, out var sizes));
        Assert.Equal([0, 1222, 1222, 0, 0], sizes);
    }

    [Fact]
    public void A_run_stops_at_the_segment_limit_and_at_the_datagram_size_limit()
    {
        Assert.Equal([SegmentedDatagrams.MaxSegments, 6], Group(Enumerable.Repeat(900, SegmentedDatagrams.MaxSegments + 6).ToArray(), segment: true, out _));
        var perMessage = SegmentedDatagrams.MaxMessageBytes / 1400; // 46 datagrams of 1400 bytes fit, 47 do not
        Assert.Equal([perMessage, 60 - perMessage], Group(Enumerable.Repeat(1400, 60).ToArray(), segment: true, out _));
    }

    [Fact]
    public void Without_segmentation_every_datagram_is_its_own_message()
    {
        Assert.Equal([1, 1, 1, 1], Group([1222, 1222, 1222, 400], segment: false, out var sizes));
        Assert.Equal([0, 0, 0, 0], sizes);
    }

    [Theory]
    [InlineData("127.0.0.1", false, false)]
    [InlineData("127.0.0.1", true, false)] // connected: the messages name no address
    [InlineData("::1", false, false)]
    [InlineData("::1", true, false)]
    [InlineData("127.0.0.1", false, true)] // a dual-stack IPv6 socket sending to an IPv4-mapped address, as the WebRTC port does
    public void The_peer_receives_every_datagram_in_order_with_its_bytes(string address, bool connected, bool dualStack)
    {
        var loopback = IPAddress.Parse(address);
        using var receiver = Receiver(loopback);
        using var sender = dualStack
            ? new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true }
            : new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(dualStack ? IPAddress.IPv6Any : loopback, 0));
        var destination = (IPEndPoint)receiver.LocalEndPoint!;
        if (dualStack)
        {
            destination = new IPEndPoint(destination.Address.MapToIPv6(), destination.Port);
        }

        if (connected)
        {
            sender.Connect(destination);
        }

        // An IDR's packets: SPS/PPS, full FU-A fragments, the last one short; then a small P-frame's.
        int[] lengths = [40, .. Enumerable.Repeat(1222, 50), 700, .. Enumerable.Repeat(1222, 3), 90];
        var segment = true;
        var sent = Send(sender, connected ? null : destination, lengths, ref segment, out var errno);

        Assert.Equal((lengths.Length, 0), (sent, errno));
        Assert.True(segment, "the kernel refused UDP_SEGMENT on loopback (Linux 4.18+ takes it)");
        AssertReceived(receiver, lengths);
    }

    [Fact]
    public void A_refused_segmentation_sends_the_datagrams_one_by_one_and_is_not_asked_again()
    {
        // SO_NO_CHECK: datagrams without a UDP checksum, which the kernel cannot segment (EINVAL).
        using var receiver = Receiver(IPAddress.Loopback);
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        sender.SetRawSocketOption(1, 11, BitConverter.GetBytes(1)); // SOL_SOCKET, SO_NO_CHECK
        int[] lengths = [60, .. Enumerable.Repeat(1222, 10), 300];
        var segment = true;

        var sent = Send(sender, (IPEndPoint)receiver.LocalEndPoint!, lengths, ref segment, out var errno);

        Assert.Equal((lengths.Length, 0), (sent, errno));
        Assert.False(segment, "the refusal was not remembered");
        AssertReceived(receiver, lengths);
    }

    private static int[] Group(int[] lengths, bool segment, out int[] sizes)
    {
        var iov = stackalloc IoVec[lengths.Length];
        for (var i = 0; i < lengths.Length; i++)
        {
            iov[i].Length = (nuint)lengths[i];
        }

        var messages = stackalloc MMsgHdr[lengths.Length];
        var segments = stackalloc int[lengths.Length];
        var control = stackalloc byte[lengths.Length * SegmentedDatagrams.ControlSpace];
        var count = SegmentedDatagrams.Build(iov, lengths.Length, null, 0, messages, segments, control, segment);
        var result = new int[count];
        sizes = new int[count];
        var first = 0;
        for (var m = 0; m < count; m++)
        {
            result[m] = segments[m];
            Assert.True(messages[m].Iov == iov + first, $"message {m} does not start at datagram {first}");
            Assert.Equal((nuint)segments[m], messages[m].IovLength);
            if (messages[m].Control != null)
            {
                // cmsg_level SOL_UDP (17), cmsg_type UDP_SEGMENT (103), then the segment size.
                var cmsg = (byte*)messages[m].Control;
                Assert.Equal((17, 103), (*(int*)(cmsg + 8), *(int*)(cmsg + 12)));
                sizes[m] = *(ushort*)(cmsg + 16);
            }

            first += segments[m];
        }

        return result;
    }

    private static int Send(Socket sender, IPEndPoint? to, int[] lengths, ref bool segment, out int errno)
    {
        var data = Datagrams(lengths);
        var iov = stackalloc IoVec[lengths.Length];
        var messages = stackalloc MMsgHdr[lengths.Length];
        var segments = stackalloc int[lengths.Length];
        var control = stackalloc byte[lengths.Length * SegmentedDatagrams.ControlSpace];
        var sockaddr = stackalloc byte[32];
        var sockaddrLength = to is null ? 0u : CamStreamd.Rtsp.UdpBatchSender.WriteSockaddr(to, new Span<byte>(sockaddr, 32));
        fixed (byte* bytes = data)
        {
            var offset = 0;
            for (var i = 0; i < lengths.Length; i++)
            {
                iov[i].Base = bytes + offset;
                iov[i].Length = (nuint)lengths[i];
                offset += lengths[i];
            }

            var fd = (int)sender.SafeHandle.DangerousGetHandle();
            return SegmentedDatagrams.Send(fd, iov, lengths.Length, to is null ? null : sockaddr, sockaddrLength, messages, segments, control, ref segment, out errno);
        }
    }

    private static Socket Receiver(IPAddress address)
    {
        var receiver = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20, ReceiveTimeout = 2000 };
        receiver.Bind(new IPEndPoint(address, 0));
        return receiver;
    }

    private static void AssertReceived(Socket receiver, int[] lengths)
    {
        var expected = Datagrams(lengths);
        var buffer = new byte[65536];
        var offset = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            var received = receiver.Receive(buffer);
            Assert.True(expected.AsSpan(offset, lengths[i]).SequenceEqual(buffer.AsSpan(0, received)), $"datagram {i} ({received} bytes) differs from the {lengths[i]} sent");
            offset += lengths[i];
        }

        Assert.Equal(0, receiver.Available);
    }

    // Every datagram's bytes differ from its neighbours', so a merged, split or reordered one shows.
    private static byte[] Datagrams(int[] lengths)
    {
        var data = new byte[lengths.Sum()];
        var offset = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            for (var j = 0; j < lengths[i]; j++)
            {
                data[offset + j] = (byte)((i * 31) + j);
            }

            offset += lengths[i];
        }

        return data;
    }
}
