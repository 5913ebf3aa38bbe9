using System.Net;
using System.Net.Sockets;

namespace CamStreamd.Rtsp.Client;

/// <summary>
/// An even RTP port and the odd RTCP port after it (RFC 3550 §11), bound on any address of one
/// family: what a UDP SETUP offers as <c>client_port=N-N+1</c>, for pulling and for publishing.
/// </summary>
internal static class RtpPortPair
{
    /// <summary>
    /// Binds a free even/odd pair, trying up to <paramref name="attempts"/> times (the odd port may
    /// be taken); false when none was free. The caller owns both sockets.
    /// </summary>
    public static bool TryBind(AddressFamily family, int attempts, out Socket rtp, out Socket rtcp)
    {
        var any = family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            var even = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
            Socket? odd = null;
            try
            {
                even.Bind(new IPEndPoint(any, 0));
                var port = ((IPEndPoint)even.LocalEndPoint!).Port;
                if (port % 2 == 0 && port < 65535)
                {
                    odd = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
                    odd.Bind(new IPEndPoint(any, port + 1));
                    (rtp, rtcp) = (even, odd);
                    return true;
                }
            }
            catch (SocketException)
            {
                // The odd port is taken: try another pair.
            }

            odd?.Dispose();
            even.Dispose();
        }

        (rtp, rtcp) = (null!, null!);
        return false;
    }
}
