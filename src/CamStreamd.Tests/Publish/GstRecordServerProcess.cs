using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CamStreamd.Tests.Publish;

/// <summary>
/// gst-rtsp-server in RECORD mode (gst-rtsp-record-server.py beside the tests): a server that takes
/// an RTSP publisher on a free loopback port and writes each session's H.264 to its own file. It can
/// be killed and started again on the same port (the outage test).
/// </summary>
internal sealed class GstRecordServerProcess : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly string[] _arguments;
    private readonly StringBuilder _output = new();
    private readonly List<string> _files = [];
    private Process? _process;

    private GstRecordServerProcess(string directory, string[] arguments)
    {
        Directory = directory;
        _arguments = arguments;
    }

    /// <summary>The bound port.</summary>
    public int Port { get; private set; }

    /// <summary>Where the sessions' files go.</summary>
    public string Directory { get; }

    /// <summary>The URL to publish to (no credentials).</summary>
    public string Url => $"{(_arguments.Contains("--tls-cert") ? "rtsps" : "rtsp")}://127.0.0.1:{Port}/up";

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
    public string Output
    {
        get
        {
            lock (_output)
            {
                var state = _process is null ? "not started" : _process.HasExited ? $"exited with {_process.ExitCode}" : "running";
                return $"record server {Url} ({state}):\n{_output}";
            }
        }
    }

    /// <summary>Starts a server taking <paramref name="protocols"/> (tcp, udp, all); Digest when <paramref name="user"/> is given.</summary>
    public static async Task<GstRecordServerProcess> StartAsync(string directory, string protocols = "all", string? user = null, string? password = null, (string Cert, string Key)? tls = null)
    {
        System.IO.Directory.CreateDirectory(directory);
        var script = Path.Combine(AppContext.BaseDirectory, "Publish", "gst-rtsp-record-server.py");
        string[] arguments =
        [
            script, "--dir", directory, "--protocols", protocols,
            .. user is null ? Array.Empty<string>() : ["--user", user, "--password", password ?? string.Empty],
            .. tls is { } pair ? ["--tls-cert", pair.Cert, "--tls-key", pair.Key] : Array.Empty<string>(),
        ];
        var server = new GstRecordServerProcess(directory, arguments);
        await server.StartOnAsync(0);
        return server;
    }

    /// <summary>Kills the server (no TEARDOWN, connections reset).</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>Starts the killed server again on its port, binding it at <paramref name="listenAt"/>.</summary>
    public Task RestartAsync(DateTimeOffset listenAt) =>
        StartOnAsync(Port, ["--listen-at", (listenAt.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture)]);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private async Task StartOnAsync(int port, string[]? extra = null)
    {
        _process?.Dispose();
        var info = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in (string[])[.. _arguments, "--port", port.ToString(CultureInfo.InvariantCulture), .. extra ?? []])
        {
            info.ArgumentList.Add(argument);
        }

        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            Append(e.Data);
            if (e.Data?.StartsWith("LISTENING ", StringComparison.Ordinal) == true)
            {
                listening.TrySetResult(int.Parse(e.Data["LISTENING ".Length..], CultureInfo.InvariantCulture));
            }
            else if (e.Data?.StartsWith("RECORDING ", StringComparison.Ordinal) == true)
            {
                lock (_files)
                {
                    _files.Add(e.Data["RECORDING ".Length..]);
                }
            }
        };
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Exited += (_, _) =>
        {
            process.WaitForExit(2000);
            listening.TrySetException(new InvalidOperationException($"the record server exited with {process.ExitCode}:\n{Output}"));
        };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{Python} could not be run ({e.Message}): install the Debian packages python3-gi and gir1.2-gst-rtsp-server-1.0", e);
        }

        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Port = await listening.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
