using System.Net;
using System.Net.Sockets;
using CamStreamd.Rtsp.Client;

namespace CamStreamd.Publish;

/// <summary>
/// A publisher's RTP/RTCP socket pair for RTSP RECORD over UDP: an even RTP port and the next odd
/// port for RTCP (RFC 3550 §11), announced as <c>client_port</c>; RTP leaves from the even port
/// to the server's <c>server_port</c>. The RTP socket is connected, so each send is one
/// allocation-free <c>send(2)</c>, and an ICMP port-unreachable from a server that went away
/// comes back as an error on the next send.
/// </summary>
internal sealed class RtpUdpSender : IDisposable
{
    private const int MaxBindAttempts = 32;

    private readonly Socket _rtp;
    private readonly Socket _rtcp;

    private RtpUdpSender(Socket rtp, Socket rtcp)
    {
        _rtp = rtp;
        _rtcp = rtcp;
        RtpPort = ((IPEndPoint)rtp.LocalEndPoint!).Port;
    }

    /// <summary>Our RTP port (even); RTCP is the next one.</summary>
    public int RtpPort { get; }

    /// <summary>Binds an even/odd pair of free ports for <paramref name="family"/>.</summary>
    public static RtpUdpSender Open(AddressFamily family)
    {
        if (!RtpPortPair.TryBind(family, MaxBindAttempts, out var rtp, out var rtcp))
        {
            throw new PublishException($"no free even/odd UDP port pair for RTP/RTCP after {MaxBindAttempts} attempts");
        }

        // Room for a whole large keyframe: the send never waits for the kernel.
        rtp.SendBufferSize = 1024 * 1024;
        return new RtpUdpSender(rtp, rtcp);
    }

    /// <summary>Sends RTP to <paramref name="server"/> from now on.</summary>
    public void Connect(IPEndPoint server) => _rtp.Connect(server);

    /// <summary>Sends one RTP packet.</summary>
    public int Send(ReadOnlySpan<byte> packet) => _rtp.Send(packet, SocketFlags.None);

    /// <inheritdoc/>
    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }
}
