using System.Net;
using System.Net.Sockets;

namespace CamStreamd.Tests.Http;

/// <summary>HttpClients whose connections come from a chosen loopback address (127.x.y.z plays another host).</summary>
internal static class BoundHttpClient
{
    public static HttpClient Create(Uri baseAddress, IPAddress from) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(from, 0));
                await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromSeconds(20),
    };
}
