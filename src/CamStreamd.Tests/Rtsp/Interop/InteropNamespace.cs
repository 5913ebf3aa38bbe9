using System.Globalization;

namespace CamStreamd.Tests.Rtsp.Interop;

/// <summary>
/// A network namespace the test makes for itself (TESTING.md): loopback up with multicast on and
/// 239.0.0.0/8 routed to it, so multicast never reaches the host's interfaces. Needs root
/// (CAP_SYS_ADMIN) and iproute2; deleted on dispose.
/// </summary>
internal sealed class InteropNamespace : IAsyncDisposable
{
    private InteropNamespace(string name) => Name = name;

    /// <summary>The namespace's name.</summary>
    public string Name { get; }

    /// <summary>The argument prefix that runs a program inside the namespace.</summary>
    public IReadOnlyList<string> Exec => ["/usr/sbin/ip", "netns", "exec", Name];

    public static async Task<InteropNamespace> CreateAsync()
    {
        var name = "camstreamd-" + Guid.NewGuid().ToString("N")[..8];
        var ns = new InteropNamespace(name);
        try
        {
            await IpAsync("netns", "add", name);
            await IpAsync("-n", name, "link", "set", "lo", "up");
            await IpAsync("-n", name, "link", "set", "lo", "multicast", "on");
            await IpAsync("-n", name, "route", "add", "239.0.0.0/8", "dev", "lo");
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }

        return ns;
    }

    public async ValueTask DisposeAsync() => await PeerProcess.RunAsync("/usr/sbin/ip", ["netns", "del", Name], TimeSpan.FromSeconds(10), "iproute2");

    private static async Task IpAsync(params string[] arguments)
    {
        var result = await PeerProcess.RunAsync("/usr/sbin/ip", arguments, TimeSpan.FromSeconds(10), "iproute2");
        Assert.True(
            result.ExitCode == 0,
            string.Create(CultureInfo.InvariantCulture, $"ip {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError} (network namespaces need root and the Debian package iproute2)"));
    }
}
