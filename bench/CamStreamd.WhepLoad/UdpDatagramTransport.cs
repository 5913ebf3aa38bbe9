using System.Diagnostics;
using System.Net.Sockets;
using Org.BouncyCastle.Tls;

namespace CamStreamd.WhepLoad;

/// <summary>
/// BouncyCastle's datagram transport over a connected UDP socket (the client's side; BouncyCastle
/// ships none). With <paramref name="dtlsOnly"/> it passes up only DTLS records (first byte 20..63,
/// RFC 7983) and skips the rest, as a WebRTC client's socket also gets STUN answers to its checks.
/// </summary>
internal sealed class UdpDatagramTransport(Socket socket, int sendLimit = 1200, bool dtlsOnly = false) : DatagramTransport
{
    public int GetReceiveLimit() => 65_507;

    public int GetSendLimit() => sendLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        var wait = TimeSpan.FromMilliseconds(waitMillis == 0 ? 60_000 : waitMillis);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            var left = wait - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero || !socket.Poll(left, SelectMode.SelectRead))
            {
                return -1;
            }

            int length;
            try
            {
                length = socket.Receive(buffer);
            }
            catch (SocketException)
            {
                return -1;
            }

            if (!dtlsOnly || (length > 0 && buffer[0] is >= 20 and <= 63))
            {
                return length;
            }
        }
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer) => socket.Send(buffer);

    public void Close()
    {
    }
}
