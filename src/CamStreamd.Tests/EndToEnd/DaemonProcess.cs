using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace CamStreamd.Tests.EndToEnd;

/// <summary>
/// The real daemon (camstreamd.dll next to the test assembly) started as a child process with a
/// config file of the test's, on free RTSP and HTTP ports; both URLs are read from its log.
/// </summary>
internal sealed partial class DaemonProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _configPath;
    private readonly TaskCompletionSource<int> _port = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<int> _httpPort = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private DaemonProcess(Process process, string configPath)
    {
        _process = process;
        _configPath = configPath;
    }

    /// <summary>Bound RTSP port, known once the daemon logged it.</summary>
    public int RtspPort { get; private set; }

    /// <summary>Bound HTTP port, known once the daemon logged it.</summary>
    public int HttpPort { get; private set; }

    /// <summary>The HTTP server's base URL (<c>http://127.0.0.1:PORT/</c>).</summary>
    public Uri HttpBase => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>Everything the daemon printed so far.</summary>
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

    /// <summary>The URL of stream <paramref name="name"/>.</summary>
    public string Url(string name) => $"rtsp://127.0.0.1:{RtspPort}/{name}";

    /// <summary>Path of the daemon assembly copied beside the tests.</summary>
    public static string DaemonDll => Path.Combine(AppContext.BaseDirectory, "camstreamd.dll");

    /// <summary>The daemon's process id (for signals).</summary>
    public int ProcessId => _process.Id;

    /// <summary>The config file the daemon reads (rewrite it, then <see cref="Signal"/> HUP to reload).</summary>
    public string ConfigPath => _configPath;

    /// <summary>Sends signal <paramref name="name"/> (e.g. "HUP") with kill(1).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", [$"-{name}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill?.WaitForExit(5000);
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails with the output after <paramref name="timeout"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"daemon did not log \"{text}\" within {timeout}:\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Starts the daemon with <paramref name="configJson"/> (and extra <paramref name="environment"/>)
    /// and waits until RTSP and HTTP listen; inside the network namespace
    /// <paramref name="networkNamespace"/> (<c>ip netns exec</c>) when given. <paramref name="command"/>
    /// replaces <c>dotnet camstreamd.dll</c> (e.g. a packaged binary under <c>qemu-aarch64-static</c>).
    /// </summary>
    /// <remarks>
    /// <paramref name="wrapper"/>, when given, is a command that ends by exec'ing its arguments
    /// (the daemon's command follows it), so the process is still the daemon's: e.g.
    /// <c>unshare -m sh -c 'mount …; exec "$0" "$@"'</c> for a mount namespace of its own.
    /// </remarks>
    public static async Task<DaemonProcess> StartAsync(string configJson, TimeSpan? timeout = null, string? networkNamespace = null, IReadOnlyDictionary<string, string>? environment = null, IReadOnlyList<string>? command = null, IReadOnlyList<string>? wrapper = null)
    {
        command ??= ["dotnet", DaemonDll];
        if (wrapper is not null && networkNamespace is null)
        {
            command = [.. wrapper, .. command];
        }
        var configPath = Path.Combine(Path.GetTempPath(), $"camstreamd-e2e-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(configPath, configJson);
        var info = new ProcessStartInfo(networkNamespace is null ? command[0] : "ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (networkNamespace is not null)
        {
            // ip execs the command in place, so the process (and its pid for SIGTERM) is the daemon's.
            foreach (var argument in (string[])["netns", "exec", networkNamespace, command[0]])
            {
                info.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add("--config");
        info.ArgumentList.Add(configPath);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var daemon = new DaemonProcess(process, configPath);
        process.OutputDataReceived += (_, e) => daemon.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => daemon.OnLine(e.Data);
        process.Exited += (_, _) =>
        {
            daemon._port.TrySetException(new InvalidOperationException("daemon exited early:\n" + daemon.Output));
            daemon._httpPort.TrySetException(new InvalidOperationException("daemon exited early:\n" + daemon.Output));
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            daemon.RtspPort = await daemon._port.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
            daemon.HttpPort = await daemon._httpPort.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }

        return daemon;
    }

    /// <summary>A minimal config of one test-pattern stream on free RTSP, HTTP and WebRTC ports.</summary>
    public static string TestPatternConfig(string name = "cam0", int width = 640, int height = 360, int fps = 30, int gop = 30) => $$"""
        {
          "rtsp": { "listenAddress": "127.0.0.1", "port": 0 },
          "http": { "listenAddress": "127.0.0.1", "port": 0 },
          "webrtc": { "port": 0 },
          "streams": [
            { "name": "{{name}}",
              "source": { "type": "testPattern", "width": {{width}}, "height": {{height}}, "fps": {{fps}} },
              "encoder": { "engine": "x264", "bitrate": 1500000, "gop": {{gop}}, "profile": "main" } }
          ]
        }
        """;

    /// <summary>Asks the daemon to stop (SIGTERM) and waits for its exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            SendSigterm(_process.Id);
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        finally
        {
            _process.Dispose();
            File.Delete(_configPath);
        }
    }

    private static void SendSigterm(int pid)
    {
        using var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill?.WaitForExit(5000);
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        var match = ListeningLine().Match(line);
        if (match.Success)
        {
            _port.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        var http = HttpListeningLine().Match(line);
        if (http.Success)
        {
            _httpPort.TrySetResult(int.Parse(http.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [GeneratedRegex(@"RTSP listening on rtsp://[^:/]+:(\d+)/")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"HTTP listening on http://[^/]+:(\d+)/")]
    private static partial Regex HttpListeningLine();
}
