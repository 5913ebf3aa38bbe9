using CamStreamd.Hosting;

namespace CamStreamd.Tests.Hosting;

/// <summary>sd_notify datagrams to a real AF_UNIX datagram socket, path and abstract.</summary>
public sealed class SystemdNotifierTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Sends_each_message_as_one_datagram(bool @abstract)
    {
        using var listener = new NotifyListener(@abstract);
        using var notifier = new SystemdNotifier(listener.SocketName);

        Assert.True(notifier.Notify("READY=1\nSTATUS=1 stream(s)"));
        Assert.True(notifier.Notify("WATCHDOG=1"));

        Assert.Equal("READY=1\nSTATUS=1 stream(s)", await listener.ReceiveAsync(Wait));
        Assert.Equal("WATCHDOG=1", await listener.ReceiveAsync(Wait));
    }

    [Fact]
    public void Without_NOTIFY_SOCKET_every_call_is_a_no_op()
    {
        using var notifier = SystemdNotifier.FromEnvironment(_ => null);

        Assert.False(notifier.IsEnabled);
        Assert.False(notifier.Notify("READY=1"));
        Assert.Null(notifier.WatchdogInterval);
    }

    [Fact]
    public void Abstract_names_get_a_leading_nul()
    {
        // sockaddr_un: sun_family (2 bytes), then sun_path; abstract = sun_path[0] is NUL (unix(7)).
        var @abstract = SystemdNotifier.ToEndPoint("@sd-notify").Serialize();
        var path = SystemdNotifier.ToEndPoint("/run/systemd/notify").Serialize();

        Assert.Equal((byte)0, @abstract[2]);
        Assert.Equal((byte)'s', @abstract[3]);
        Assert.Equal((byte)'/', path[2]);
    }

    [Fact]
    public void A_gone_socket_is_not_an_error()
    {
        using var notifier = new SystemdNotifier(Path.Combine(Path.GetTempPath(), $"camstreamd-none-{Guid.NewGuid():N}"));

        Assert.False(notifier.Notify("READY=1"));
    }

    [Theory]
    [InlineData("30000000", null, 30_000)]
    [InlineData("30000000", "4242", 30_000)]
    [InlineData("30000000", "4243", null)]
    [InlineData("0", null, null)]
    [InlineData("abc", null, null)]
    [InlineData(null, "4242", null)]
    public void Watchdog_interval_follows_WATCHDOG_USEC_and_WATCHDOG_PID(string? usec, string? pid, int? expectedMs)
    {
        var interval = SystemdNotifier.ParseWatchdog(usec, pid, processId: 4242);

        Assert.Equal(expectedMs, interval is { } i ? (int)i.TotalMilliseconds : null);
    }
}
