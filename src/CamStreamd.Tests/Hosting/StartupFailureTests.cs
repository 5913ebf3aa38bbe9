using System.Net;
using System.Net.Sockets;
using CamStreamd.Hosting;

namespace CamStreamd.Tests.Hosting;

public class StartupFailureTests
{
    [Fact]
    public void A_port_in_use_is_unavailable_even_when_wrapped()
    {
        using var first = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        first.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        first.Listen();
        using var second = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var bind = Assert.Throws<SocketException>(() => second.Bind(first.LocalEndPoint!));

        Assert.True(StartupFailure.IsUnavailable(bind, out var reason));
        Assert.Contains("AddressAlreadyInUse", reason, StringComparison.Ordinal);
        Assert.True(StartupFailure.IsUnavailable(new AggregateException(new InvalidOperationException("x"), new InvalidOperationException("start failed", bind)), out _));
    }

    [Fact]
    public void Permission_errors_are_unavailable_and_bugs_are_not()
    {
        Assert.True(StartupFailure.IsUnavailable(new UnauthorizedAccessException("/dev/video0"), out var reason));
        Assert.Equal("/dev/video0", reason);
        Assert.False(StartupFailure.IsUnavailable(new InvalidOperationException("bug"), out _));
        Assert.False(StartupFailure.IsUnavailable(new SocketException((int)SocketError.ConnectionRefused), out _));
    }
}
