using System.Net;
using System.Net.Sockets;
using CamStreamd.WebRtc;
using CamStreamd.WebRtc.Dtls;

namespace CamStreamd.Tests.WebRtc;

/// <summary>
/// The plane's part in miniature for the handshake tests: one UDP socket on loopback, a receive
/// loop that hands every datagram to the handshake, and the sender back to the peer it came from.
/// </summary>
internal sealed class LoopbackDtlsServer : IDatagramSender, IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Thread _receiver;
    private readonly CancellationTokenSource _stop = new();
    private EndPoint? _peer;

    public LoopbackDtlsServer(Func<IDatagramSender, DtlsSrtpHandshake> create)
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Handshake = create(this);
        _receiver = new Thread(Receive) { IsBackground = true, Name = "test DTLS receive" };
        _receiver.Start();
    }

    public DtlsSrtpHandshake Handshake { get; }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public int Received { get; private set; }

    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        var peer = Volatile.Read(ref _peer);
        return peer is not null && _socket.SendTo(datagram, SocketFlags.None, peer) == datagram.Length;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _receiver.Join(TimeSpan.FromSeconds(5));
        Handshake.Dispose();
        _stop.Dispose();
    }

    private void Receive()
    {
        var buffer = new byte[65_536];
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (!_socket.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead))
                {
                    continue;
                }

                EndPoint from = new IPEndPoint(IPAddress.Any, 0);
                var length = _socket.ReceiveFrom(buffer, ref from);
                Volatile.Write(ref _peer, from);
                Received++;
                // RFC 7983: DTLS is 20..63; everything reaches the handshake here so garbage is its problem too.
                Handshake.Deliver(buffer.AsSpan(0, length));
            }
            catch (SocketException)
            {
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }
}
