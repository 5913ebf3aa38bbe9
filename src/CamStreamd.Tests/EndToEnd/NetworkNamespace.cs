namespace CamStreamd.Tests.EndToEnd;

/// <summary>
/// A network namespace of the test's own (TESTING.md): loopback up with multicast on and
/// 239.0.0.0/8 routed to it, so multicast never reaches the host's interfaces. Deleted on dispose.
/// Needs root and iproute2.
/// </summary>
internal sealed class NetworkNamespace : IDisposable
{
    private const string Ip = "/usr/sbin/ip";
    private const string Package = "iproute2 (and root, for ip netns)";

    private NetworkNamespace(string name) => Name = name;

    /// <summary>The namespace's name (for <c>ip netns exec</c>).</summary>
    public string Name { get; }

    /// <summary>Creates and configures a namespace with a unique name.</summary>
    public static NetworkNamespace Create()
    {
        var ns = new NetworkNamespace("camstreamd-test-" + Guid.NewGuid().ToString("N")[..12]);
        Run(["netns", "add", ns.Name]);
        try
        {
            Run(["-n", ns.Name, "link", "set", "lo", "up"]);
            Run(["-n", ns.Name, "link", "set", "lo", "multicast", "on"]);
            Run(["-n", ns.Name, "route", "add", "239.0.0.0/8", "dev", "lo"]);
        }
        catch
        {
            ns.Dispose();
            throw;
        }

        return ns;
    }

    /// <summary>Arguments that run <paramref name="command"/> inside the namespace (pass to <see cref="PeerProcess"/> with file "ip").</summary>
    public string[] Exec(params string[] command) => ["netns", "exec", Name, .. command];

    /// <inheritdoc />
    public void Dispose() => PeerProcess.Run(Ip, ["netns", "delete", Name], Package, TimeSpan.FromSeconds(10));

    private static void Run(string[] arguments)
    {
        var result = PeerProcess.Run(Ip, arguments, Package, TimeSpan.FromSeconds(10));
        if (result.ExitCode != 0 || result.TimedOut)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError} — needs root and the Debian package {Package}");
        }
    }
}
