using System.Net.Sockets;
using CamStreamd.Hosting;
using ISystemdNotifier = Microsoft.Extensions.Hosting.Systemd.ISystemdNotifier;
using ServiceState = Microsoft.Extensions.Hosting.Systemd.ServiceState;

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

    [Fact]
    public void The_packages_notifier_carries_our_message_verbatim()
    {
        var sender = new RecordingSender();
        using var notifier = new SystemdNotifier("/run/systemd/notify", TimeSpan.FromSeconds(30), sender);

        Assert.True(notifier.IsEnabled);
        Assert.True(notifier.Notify("RELOADING=1\nMONOTONIC_USEC=42\nSTATUS=reloading the configuration"));
        Assert.Equal(["RELOADING=1\nMONOTONIC_USEC=42\nSTATUS=reloading the configuration"], sender.Sent);
        Assert.Null(notifier.LastError);
    }

    [Fact]
    public void A_send_that_throws_is_reported_not_thrown()
    {
        var sender = new RecordingSender { Fail = true };
        using var notifier = new SystemdNotifier("/run/systemd/notify", null, sender);

        Assert.False(notifier.Notify("WATCHDOG=1"));
        Assert.Contains("ConnectionRefused", notifier.LastError, StringComparison.Ordinal);

        sender.Fail = false;
        Assert.True(notifier.Notify("WATCHDOG=1"));
        Assert.Null(notifier.LastError);
    }

    private sealed class RecordingSender : ISystemdNotifier
    {
        public List<string> Sent { get; } = [];

        public bool Fail { get; set; }

        public bool IsEnabled => true;

        public void Notify(ServiceState state)
        {
            if (Fail)
            {
                throw new SocketException((int)SocketError.ConnectionRefused);
            }

            Sent.Add(state.ToString());
        }
    }
}
