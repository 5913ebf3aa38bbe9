namespace CamStreamd.Tests.Publish;

/// <summary>
/// gst-rtsp-server in RECORD mode (<see cref="GstRtspServerProcess"/> with <c>--record</c>): a server
/// that takes an RTSP publisher on a free loopback port and writes each session's H.264 to its own
/// file. It can be killed and started again on the same port (the outage test).
/// </summary>
internal sealed class GstRecordServerProcess : IAsyncDisposable
{
    private readonly List<string> _files = [];
    private GstRtspServerProcess? _server;

    private GstRecordServerProcess(string directory) => Directory = directory;

    /// <summary>Where the sessions' files go.</summary>
    public string Directory { get; }

    /// <summary>The URL to publish to (no credentials).</summary>
    public string Url => _server!.Url;

    /// <summary>Each session's file, in the order sessions started.</summary>
    public IReadOnlyList<string> Files
    {
        get
        {
            lock (_files)
            {
                return [.. _files];
            }
        }
    }

    /// <summary>Everything the server printed, and whether it runs.</summary>
    public string Output => _server is null ? "record server (not started)" : $"record server {_server.Url} ({_server.State}):\n{_server.Output}";

    /// <summary>Starts a server taking <paramref name="protocols"/> (tcp, udp, all); Digest when <paramref name="user"/> is given.</summary>
    public static async Task<GstRecordServerProcess> StartAsync(string directory, string protocols = "all", string? user = null, string? password = null, (string Cert, string Key)? tls = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        var record = new GstRecordServerProcess(directory);
        string[] arguments =
        [
            "--record", directory, "--protocols", protocols,
            .. user is null ? Array.Empty<string>() : ["--user", user, "--password", password ?? string.Empty],
            .. tls is { } pair ? ["--tls-cert", pair.Cert, "--tls-key", pair.Key] : Array.Empty<string>(),
        ];
        record._server = await GstRtspServerProcess.StartAsync(arguments, "up", record.OnLine);
        return record;
    }

    /// <summary>Kills the server (no TEARDOWN, connections reset).</summary>
    public Task KillAsync() => _server?.KillAsync() ?? Task.CompletedTask;

    /// <summary>Starts the killed server again on its port, binding it at <paramref name="listenAt"/>.</summary>
    public Task RestartAsync(DateTimeOffset listenAt) => _server!.RestartAsync(listenAt);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;

    private void OnLine(string line)
    {
        // "RECORDING <file>" as each ANNOUNCE/RECORD session starts.
        if (line.StartsWith("RECORDING ", StringComparison.Ordinal))
        {
            lock (_files)
            {
                _files.Add(line["RECORDING ".Length..]);
            }
        }
    }
}
