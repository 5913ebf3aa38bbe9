using System.Net;
using System.Net.Sockets;

namespace CamStreamd.Tests.Rtsp.TestSupport;

/// <summary>A UDP viewer's RTP/RTCP socket pair (even/odd neighbours) and what arrived on the RTP one.</summary>
internal sealed class UdpRtpViewer : IDisposable
{
    private long _frames;
    private long _duplicates;
    private long _gaps;

    private UdpRtpViewer(Socket rtp, Socket rtcp)
    {
        Rtp = rtp;
        Rtcp = rtcp;
        RtpPort = ((IPEndPoint)rtp.LocalEndPoint!).Port;
    }

    public Socket Rtp { get; }

    public Socket Rtcp { get; }

    public int RtpPort { get; }

    public uint Ssrc { get; set; }

    public string SessionId { get; set; } = "";

    /// <summary>The server's RTCP port its SETUP answer named (server_port's second half).</summary>
    public int ServerRtcpPort { get; set; }

    public long Frames => Interlocked.Read(ref _frames);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long Gaps => Interlocked.Read(ref _gaps);

    public static UdpRtpViewer Bind()
    {
        // Bounded: an even port whose odd neighbour is free is found within a few tries.
        for (var attempt = 0; attempt < 64; attempt++)
        {
            var rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
            rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)rtp.LocalEndPoint!).Port;
            var rtcp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                rtcp.Bind(new IPEndPoint(IPAddress.Loopback, port + 1));
                return new UdpRtpViewer(rtp, rtcp);
            }
            catch (SocketException)
            {
                rtcp.Dispose();
                rtp.Dispose();
            }
        }

        throw new InvalidOperationException("no free port pair on loopback");
    }

    public async Task ReadAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[2048];
        int? previous = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var length = await Rtp.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (length < 12)
                {
                    continue;
                }

                var seq = (buffer[2] << 8) | buffer[3];
                if (previous is { } p)
                {
                    var step = (ushort)(seq - p);
                    if (step == 0 || step > 0x8000)
                    {
                        Interlocked.Increment(ref _duplicates);
                        continue;
                    }

                    if (step > 1)
                    {
                        Interlocked.Add(ref _gaps, step - 1);
                    }
                }

                previous = seq;
                if ((buffer[1] & 0x80) != 0)
                {
                    Interlocked.Increment(ref _frames);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The test ended the viewer.
        }
    }

    public void Dispose()
    {
        Rtp.Dispose();
        Rtcp.Dispose();
    }
}
