using System.Net;
using System.Net.Sockets;
using CamStreamd.Media;
using CamStreamd.Rtsp;

namespace CamStreamd.Tests.Rtsp;

/// <summary><c>sendmmsg</c> batches against real UDP sockets on loopback.</summary>
public sealed class UdpBatchSenderTests
{
    [Theory]
    [InlineData("127.0.0.1", 3, false)]
    [InlineData("127.0.0.1", 150, false)] // three sendmmsg calls of at most 64
    [InlineData("::1", 70, false)]
    [InlineData("127.0.0.1", 150, true)] // messages without an address: the socket's connection
    [InlineData("::1", 70, true)]
    public void Every_packet_arrives_once_in_order_with_its_bytes(string address, int packets, bool connected)
    {
        var loopback = IPAddress.Parse(address);
        using var receiver = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        receiver.ReceiveBufferSize = 4 * 1024 * 1024;
        receiver.Bind(new IPEndPoint(loopback, 0));
        using var sender = new Socket(loopback.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(loopback, 0));
        var block = Block(packets);
        if (connected)
        {
            sender.Connect(receiver.LocalEndPoint!);
        }

        using var batch = new UdpBatchSender((IPEndPoint)receiver.LocalEndPoint!, socketConnected: connected);

        Assert.Equal(packets, batch.Send(sender.SafeHandle, block));
        Assert.Equal(1, batch.FramesBatched);

        var buffer = new byte[2048];
        receiver.ReceiveTimeout = 2000;
        for (var i = 0; i < packets; i++)
        {
            var received = receiver.Receive(buffer);
            Assert.True(block.GetPacket(i).SequenceEqual(buffer.AsSpan(0, received)), $"datagram {i} differs from packet {i}");
        }

        Assert.Equal(0, receiver.Available);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_frame_of_full_size_fragments_goes_segmented_and_arrives_as_the_same_datagrams(bool connected)
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20, ReceiveTimeout = 2000 };
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        if (connected)
        {
            sender.Connect(receiver.LocalEndPoint!);
        }

        // 100 fragments of 1400 bytes and a short last one: more than one sendmmsg, more than one segmented message per call.
        var block = Block(101, i => i == 100 ? 333 : 1400);
        using var batch = new UdpBatchSender((IPEndPoint)receiver.LocalEndPoint!, socketConnected: connected);

        Assert.Equal(101, batch.Send(sender.SafeHandle, block));
        Assert.True(batch.Segmenting, "the kernel refused UDP_SEGMENT on loopback");
        var buffer = new byte[65536];
        for (var i = 0; i < 101; i++)
        {
            var received = receiver.Receive(buffer);
            Assert.True(block.GetPacket(i).SequenceEqual(buffer.AsSpan(0, received)), $"datagram {i} ({received} bytes) differs from packet {i}");
        }

        Assert.Equal(0, receiver.Available);
    }

    [Fact]
    public void A_closed_client_port_drops_the_frame_without_an_exception()
    {
        // The datagrams draw ICMP port unreachables (reported as ECONNREFUSED where the kernel
        // passes them to the socket): either way every frame counts as handled, nothing throws.
        using var closed = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        closed.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var destination = (IPEndPoint)closed.LocalEndPoint!;
        closed.Dispose();
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var batch = new UdpBatchSender(destination);
        var block = Block(5);
        for (var frame = 0; frame < 5; frame++)
        {
            Assert.Equal(5, batch.Send(sender.SafeHandle, block));
            Thread.Sleep(20);
        }

        Assert.InRange(batch.FramesBatched, 1, 5);
    }

    [Fact]
    public void A_disposed_socket_is_refused_not_written()
    {
        var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        sender.Dispose();
        using var batch = new UdpBatchSender(new IPEndPoint(IPAddress.Loopback, 9));
        Assert.Throws<ObjectDisposedException>(() => batch.Send(sender.SafeHandle, Block(2)));
    }

    private static WirePacketBlock Block(int packets) => Block(packets, i => 12 + ((i * 397) % 1388));

    private static WirePacketBlock Block(int packets, Func<int, int> lengthOf)
    {
        var block = new WirePacketBlock();
        for (var i = 0; i < packets; i++)
        {
            var length = lengthOf(i);
            var packet = block.BeginPacket(length);
            for (var j = 0; j < length; j++)
            {
                packet[j] = (byte)(i + (j * 7));
            }

            block.CommitPacket(length);
        }

        return block;
    }
}
