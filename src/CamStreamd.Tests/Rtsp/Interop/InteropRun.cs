using CamStreamd.Tests.EndToEnd;

namespace CamStreamd.Tests.Rtsp.Interop;

/// <summary>The daemon of one interop row (in the row's network namespace when it has one) and a way to run the peer beside it.</summary>
internal sealed class InteropRun : IAsyncDisposable
{
    private readonly NetworkNamespace? _namespace;

    private InteropRun(InteropCase row, DaemonProcess daemon, NetworkNamespace? ns)
    {
        Row = row;
        Daemon = daemon;
        _namespace = ns;
    }

    public InteropCase Row { get; }

    public DaemonProcess Daemon { get; }

    /// <summary>The URL the peer opens (with the row's credentials).</summary>
    public string Url => Row.Url(Daemon);

    public static async Task<InteropRun> StartAsync(InteropCase row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var ns = row.Multicast ? NetworkNamespace.Create() : null;
        try
        {
            var daemon = await DaemonProcess.StartAsync(row.ConfigJson(), networkNamespace: ns?.Name);
            return new InteropRun(row, daemon, ns);
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

    public async ValueTask DisposeAsync()
    {
        await Daemon.DisposeAsync();
        _namespace?.Dispose();
    }
}
