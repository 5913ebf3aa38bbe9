using CamStreamd.Tests.EndToEnd;

namespace CamStreamd.Tests.Rtsp.Interop;

/// <summary>The daemon of one <see cref="InteropCase.DaemonKey"/> (in its network namespace when it has one) and a way to run a peer beside it.</summary>
internal sealed class InteropRun : IAsyncDisposable
{
    private readonly NetworkNamespace? _namespace;

    private InteropRun(string key, DaemonProcess daemon, NetworkNamespace? ns)
    {
        Key = key;
        Daemon = daemon;
        _namespace = ns;
    }

    /// <summary>The daemon key of the rows this run serves.</summary>
    public string Key { get; }

    public DaemonProcess Daemon { get; }

    public static async Task<InteropRun> StartAsync(InteropCase row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var ns = row.InNamespace ? NetworkNamespace.Create() : null;
        try
        {
            var daemon = await DaemonProcess.StartAsync(row.ConfigJson(), networkNamespace: ns?.Name);
            return new InteropRun(row.DaemonKey, daemon, ns);
        }
        catch
        {
            ns?.Dispose();

            throw;
        }
    }

    /// <summary>Runs a peer program next to the daemon (inside its namespace, if any).</summary>
    public Task<PeerProcess.Result> RunPeerAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, string debianPackage) =>
        _namespace is null
            ? PeerProcess.RunAsync(file, arguments, timeout, debianPackage)
            : PeerProcess.RunAsync("/usr/sbin/ip", _namespace.Exec([file, .. arguments]), timeout, debianPackage);

    /// <summary>The end of the daemon's log, for failure messages.</summary>
    public string DaemonLogTail => Daemon.Output.Length <= 3000 ? Daemon.Output : Daemon.Output[^3000..];

    public async ValueTask DisposeAsync()
    {
        await Daemon.DisposeAsync();
        _namespace?.Dispose();
    }
}
