using CamStreamd.Tests.EndToEnd;

namespace CamStreamd.Tests.Rtsp.Interop;

/// <summary>The daemon of one interop row (in the row's network namespace when it has one) and a way to run the peer beside it.</summary>
internal sealed class InteropRun : IAsyncDisposable
{
    private readonly InteropNamespace? _namespace;

    private InteropRun(InteropCase row, DaemonProcess daemon, InteropNamespace? ns)
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
        var ns = row.Multicast ? await InteropNamespace.CreateAsync() : null;
        try
        {
            var daemon = await DaemonProcess.StartAsync(row.ConfigJson(), launcher: ns?.Exec);
            return new InteropRun(row, daemon, ns);
        }
        catch
        {
            if (ns is not null)
            {
                await ns.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Runs a peer program next to the daemon (inside its namespace, if any).</summary>
    public Task<PeerProcess.Result> RunPeerAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, string debianPackage) =>
        _namespace is null
            ? PeerProcess.RunAsync(file, arguments, timeout, debianPackage)
            : PeerProcess.RunAsync(_namespace.Exec[0], [.. _namespace.Exec.Skip(1), file, .. arguments], timeout, debianPackage);

    public async ValueTask DisposeAsync()
    {
        await Daemon.DisposeAsync();
        if (_namespace is not null)
        {
            await _namespace.DisposeAsync();
        }
    }
}
