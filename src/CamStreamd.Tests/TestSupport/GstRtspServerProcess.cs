using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CamStreamd.Tests.TestSupport;

/// <summary>
/// GStreamer's gst-rtsp-server as a real peer (bench/gst-rtsp-server.py, copied beside the tests
/// and run by Debian's /usr/bin/python3): a live H.264 test picture or a clip on a free loopback
/// port as an upstream camera, or a RECORD server taking a publisher
/// (<see cref="Publish.GstRecordServerProcess"/>). It can be killed and started again on the same
/// port (the outage tests).
/// </summary>
internal sealed class GstRtspServerProcess : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";

    // bench/bench.sh runs the same script; the test project copies it to its output.
    private static readonly string Script = System.IO.Path.Combine(AppContext.BaseDirectory, "gst-rtsp-server.py");

    private readonly string[] _arguments;
    private readonly Action<string>? _onLine;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private GstRtspServerProcess(string[] arguments, string path, Action<string>? onLine)
    {
        _arguments = arguments;
        _onLine = onLine;
        Path = path;
    }

    /// <summary>The bound port.</summary>
    public int Port { get; private set; }

    /// <summary>The mount path.</summary>
    public string Path { get; }

    /// <summary>The stream's URL (no credentials): rtsps:// when the server has a certificate.</summary>
    public string Url => $"{(_arguments.Contains("--tls-cert") ? "rtsps" : "rtsp")}://127.0.0.1:{Port}/{Path}";

    /// <summary>"running", or how the process ended.</summary>
    public string State => _process is null ? "not started" : _process.HasExited ? $"exited with {_process.ExitCode}" : "running";

    /// <summary>Everything the server printed.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts a server of <paramref name="width"/>x<paramref name="height"/> at <paramref name="fps"/>, IDR every <paramref name="gop"/> frames; Digest auth when <paramref name="user"/> is given; one solid <paramref name="color"/> (RRGGBB) instead of the moving ball when given; <paramref name="clip"/> (Annex-B H.264) served in a loop at <paramref name="fps"/> instead of an encoded picture.</summary>
    public static Task<GstRtspServerProcess> StartAsync(int width = 320, int height = 240, int fps = 30, int gop = 30, string? user = null, string? password = null, string protocols = "all", int sessionTimeoutSeconds = 60, string? color = null, string? clip = null)
    {
        var inv = CultureInfo.InvariantCulture;
        return StartAsync(
            [
                "--width", width.ToString(inv), "--height", height.ToString(inv),
                "--fps", fps.ToString(inv), "--gop", gop.ToString(inv), "--protocols", protocols, "--session-timeout", sessionTimeoutSeconds.ToString(inv),
                .. user is null ? Array.Empty<string>() : ["--user", user, "--password", password ?? string.Empty],
                .. color is null ? Array.Empty<string>() : ["--color", color],
                .. clip is null ? Array.Empty<string>() : ["--clip", clip],
            ],
            "cam");
    }

    /// <summary>Starts the script with <paramref name="arguments"/> serving <paramref name="path"/>; <paramref name="onLine"/> sees each line it prints.</summary>
    public static async Task<GstRtspServerProcess> StartAsync(string[] arguments, string path, Action<string>? onLine = null)
    {
        var server = new GstRtspServerProcess([Script, "--path", path, .. arguments], path, onLine);
        await server.StartOnAsync(0);
        return server;
    }

    /// <summary>Kills the server (as a crash or power loss would: no TEARDOWN, connections reset).</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
    }

    /// <summary>
    /// Starts the killed server again on its port, binding it at <paramref name="listenAt"/> (the
    /// process starts now, so a slow start-up does not lengthen the outage).
    /// </summary>
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
        var info = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[.. _arguments, "--port", port.ToString(CultureInfo.InvariantCulture), .. extra ?? []])
        {
            info.ArgumentList.Add(argument);
        }

        var listening = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not { } line)
            {
                return;
            }

            Append(line);
            // "port 8554", once it accepts clients (the line bench/bench.sh waits for too).
            if (line.StartsWith("port ", StringComparison.Ordinal))
            {
                listening.TrySetResult(int.Parse(line["port ".Length..], CultureInfo.InvariantCulture));
            }

            _onLine?.Invoke(line);
        };
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Exited += (_, _) =>
        {
            // WaitForExit drains the output handlers, so the message holds the server's last words.
            process.WaitForExit(2000);
            listening.TrySetException(new InvalidOperationException($"gst-rtsp-server exited with {process.ExitCode}:\n{Output}"));
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
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
