using System.Net.Sockets;
using Org.BouncyCastle.Tls;

namespace CamStreamd.Tests.WebRtc;

/// <summary>BouncyCastle's datagram transport over a connected UDP socket (the test client's side; BouncyCastle ships none).</summary>
internal sealed class UdpDatagramTransport(Socket socket, int sendLimit = 1200) : DatagramTransport
{
    public int GetReceiveLimit() => 65_507;

    public int GetSendLimit() => sendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (!socket.Poll(TimeSpan.FromMilliseconds(waitMillis == 0 ? 60_000 : waitMillis), SelectMode.SelectRead))
        {
            return -1;
        }

        try
        {
            return socket.Receive(buffer);
        }
        catch (SocketException)
        {
            return -1;
        }
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer) => socket.Send(buffer);

    public void Close()
    {
    }
}
