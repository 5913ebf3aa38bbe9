using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CamStreamd.Interop.Libc;
using CamStreamd.WebRtc;
using CamStreamd.WebRtc.Feed;
using CamStreamd.WebRtc.Srtp;

namespace CamStreamd.Tests.WebRtc;

/// <summary>
/// The browser's media side for the feed tests over real loopback UDP: our side sends through a
/// socket to the peer's socket (the plane's sender in miniature, optionally refusing sends as
/// EAGAIN would); the peer unprotects SRTP/SRTCP with the server's keys and protects its own
/// SRTCP (PLI, NACK, RR) with the client's. Given a <see cref="LoopbackSharedPort"/>, the peer is
/// reached on it as the plane's sessions are on theirs (<see cref="ISharedPortPeer"/>), and its own
/// socket carries only what the fan-out hands back.
/// </summary>
internal sealed class BrowserMediaPeer : IDatagramSender, ISharedPortPeer, IDisposable
{
    private readonly Socket _server = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _browser = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly SrtpUnprotector _media;
    private readonly SrtpProtector _feedback;
    private readonly byte[] _buffer = new byte[2048];
    private readonly LoopbackSharedPort? _sharedPort;
    private int _ownSends;

    public BrowserMediaPeer(byte payloadType = 102, LoopbackSharedPort? sharedPort = null)
    {
        _sharedPort = sharedPort;
        _server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _browser.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _browser.ReceiveBufferSize = 4 << 20;
        _server.Connect(_browser.LocalEndPoint!);
        var random = new Random();
        var bytes = new byte[SrtpKeyMaterial.ExportedLength];
        random.NextBytes(bytes);
        Keys = SrtpKeyMaterial.FromExporter(bytes);
        _media = new SrtpUnprotector(Keys.ServerKey, Keys.ServerSalt);
        _feedback = new SrtpProtector(Keys.ClientKey, Keys.ClientSalt);
        Setup = new WebRtcMediaSessionSetup(this, Keys, payloadType, WebRtcMediaSessionSetup.RandomSsrc(), "camstreamd-test");
        Address = _browser.LocalEndPoint!.Serialize();
    }

    /// <summary>The browser's address, as the shared port's messages name it.</summary>
    public SocketAddress Address { get; }

    /// <summary>SRTP datagrams sent through the peer's own socket rather than the shared port (SRTCP, which always goes that way, not counted).</summary>
    public int OwnSends => Volatile.Read(ref _ownSends);

    public SrtpKeyMaterial Keys { get; }

    public WebRtcMediaSessionSetup Setup { get; }

    /// <summary>When set, sends are refused (as a full socket buffer would) while it returns true.</summary>
    public Func<bool>? Refuse { get; set; }

    public ConcurrentQueue<byte[]> Rtp { get; } = new();

    public ConcurrentQueue<byte[]> Rtcp { get; } = new();

    /// <summary>Every SRTP datagram as it came (SRTP is deterministic: a resend of a packet is byte for byte the same datagram).</summary>
    public ConcurrentQueue<byte[]> Datagrams { get; } = new();

    /// <summary>SRTP datagrams the replay window refused: resends of packets already received.</summary>
    public ConcurrentQueue<byte[]> Replays { get; } = new();

    public int Rejected { get; private set; }

    public bool TrySend(ReadOnlySpan<byte> datagram)
    {
        if (Refuse?.Invoke() == true)
        {
            return false;
        }

        // RFC 5761 §4: RTCP packet types 192..223 in the second byte.
        if (datagram.Length < 2 || datagram[1] is < 192 or > 223)
        {
            Interlocked.Increment(ref _ownSends);
        }

        return _server.Send(datagram) == datagram.Length;
    }

    /// <inheritdoc />
    bool ISharedPortPeer.TryGetRoute(out ISharedDatagramPort port, out SocketAddress peer)
    {
        port = _sharedPort!;
        peer = Address;
        return _sharedPort is not null;
    }

    /// <summary>Reads and unprotects until <paramref name="done"/> holds or the timeout passes.</summary>
    public bool ReceiveUntil(Func<bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!done())
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            if (!_browser.Poll(left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100), SelectMode.SelectRead))
            {
                continue;
            }

            var length = _browser.Receive(_buffer);
            var packet = _buffer.AsSpan(0, length);
            // RFC 5761 §4: RTCP packet types 192..223 in the second byte.
            if (packet.Length > 1 && packet[1] is >= 192 and <= 223)
            {
                if (_media.UnprotectRtcp(packet, out var rtcpLength) == SrtpResult.Ok)
                {
                    Rtcp.Enqueue(packet[..rtcpLength].ToArray());
                }
                else
                {
                    Rejected++;
                }
            }
            else
            {
                var raw = packet.ToArray();
                var result = _media.UnprotectRtp(packet, out var rtpLength);
                if (result == SrtpResult.Ok)
                {
                    Datagrams.Enqueue(raw);
                    Rtp.Enqueue(packet[..rtpLength].ToArray());
                }
                else if (result == SrtpResult.Replayed)
                {
                    Replays.Enqueue(raw);
                }
                else
                {
                    Rejected++;
                }
            }
        }

        return true;
    }

    /// <summary>Sends a PLI (PSFB FMT 1) about the session's SSRC to <paramref name="session"/>.</summary>
    public void SendPli(WebRtcMediaSession session)
    {
        var rtcp = new byte[12 + SrtpProtector.SrtcpTrailerLength];
        rtcp[0] = 0x81;
        rtcp[1] = 206;
        BinaryPrimitives.WriteUInt16BigEndian(rtcp.AsSpan(2), 2);
        BinaryPrimitives.WriteUInt32BigEndian(rtcp.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt32BigEndian(rtcp.AsSpan(8), session.Ssrc);
        session.DeliverRtcp(rtcp.AsSpan(0, _feedback.ProtectRtcp(rtcp, 12)));
    }

    /// <summary>Sends a generic NACK (RTPFB FMT 1) for <paramref name="pid"/> and the BLP bitmask.</summary>
    public void SendNack(WebRtcMediaSession session, ushort pid, ushort blp)
    {
        var rtcp = new byte[16 + SrtpProtector.SrtcpTrailerLength];
        rtcp[0] = 0x81;
        rtcp[1] = 205;
        BinaryPrimitives.WriteUInt16BigEndian(rtcp.AsSpan(2), 3);
        BinaryPrimitives.WriteUInt32BigEndian(rtcp.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt32BigEndian(rtcp.AsSpan(8), session.Ssrc);
        BinaryPrimitives.WriteUInt16BigEndian(rtcp.AsSpan(12), pid);
        BinaryPrimitives.WriteUInt16BigEndian(rtcp.AsSpan(14), blp);
        session.DeliverRtcp(rtcp.AsSpan(0, _feedback.ProtectRtcp(rtcp, 16)));
    }

    /// <summary>Sends an RR about the session's SSRC echoing <paramref name="lastSenderReport"/> with DLSR <paramref name="delay"/>.</summary>
    public void SendReceiverReport(WebRtcMediaSession session, uint lastSenderReport, uint delay)
    {
        var rtcp = new byte[32 + SrtpProtector.SrtcpTrailerLength];
        rtcp[0] = 0x81;
        rtcp[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(rtcp.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(rtcp.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt32BigEndian(rtcp.AsSpan(8), session.Ssrc);
        rtcp[12] = 3; // fraction lost 3/256
        BinaryPrimitives.WriteUInt32BigEndian(rtcp.AsSpan(24), lastSenderReport);
        BinaryPrimitives.WriteUInt32BigEndian(rtcp.AsSpan(28), delay);
        session.DeliverRtcp(rtcp.AsSpan(0, _feedback.ProtectRtcp(rtcp, 32)));
    }

    /// <summary>Delivers a datagram as is (forgeries).</summary>
    public static void DeliverRaw(WebRtcMediaSession session, byte[] datagram) => session.DeliverRtcp(datagram);

    public void Dispose()
    {
        _server.Dispose();
        _browser.Dispose();
        _media.Dispose();
        _feedback.Dispose();
    }
}
