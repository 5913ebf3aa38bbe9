using System.Net;
using System.Net.Sockets;
using CamStreamd.Media;
using CamStreamd.Rtsp;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Tests.Rtsp;

public class RtspHostedServiceTests
{
    [Fact]
    public async Task Starts_on_a_free_port_and_stops_promptly()
    {
        await using var service = new RtspHostedService(new RtspServerOptions { ListenAddress = IPAddress.Loopback, Port = 0 }, new StreamHubRegistry(), NullLoggerFactory.Instance);
        await service.StartAsync(CancellationToken.None);
        var endPoint = service.Server!.LocalEndPoint;
        Assert.NotEqual(0, endPoint.Port);

        using (var client = new TcpClient())
        {
            await client.ConnectAsync(endPoint);
            var started = DateTime.UtcNow;
            await service.StopAsync(CancellationToken.None);
            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));

            // The server closed the idle connection while stopping.
            var buffer = new byte[1];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            Assert.Equal(0, await client.GetStream().ReadAsync(buffer, cts.Token));
        }
    }

    [Fact]
    public async Task A_taken_port_surfaces_as_socket_exception()
    {
        using var blocker = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        blocker.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        blocker.Listen();
        var port = ((IPEndPoint)blocker.LocalEndPoint!).Port;
        await using var service = new RtspHostedService(new RtspServerOptions { ListenAddress = IPAddress.Loopback, Port = port }, new StreamHubRegistry(), NullLoggerFactory.Instance);
        var ex = await Assert.ThrowsAsync<SocketException>(() => service.StartAsync(CancellationToken.None));
        Assert.Equal(SocketError.AddressAlreadyInUse, ex.SocketErrorCode);
    }
}
