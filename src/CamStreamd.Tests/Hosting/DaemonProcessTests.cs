using System.Diagnostics;
using System.Text;
using CamStreamd.Configuration;
using CamStreamd.Hosting;

namespace CamStreamd.Tests.Hosting;

/// <summary>The built daemon (<c>camstreamd.dll</c>, copied next to the tests) run as a real process.</summary>
public sealed class DaemonProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-test-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Check_config_with_unknown_key_exits_78_naming_the_key()
    {
        var path = WriteConfig("""{ "rtsp": { "porrt": 1 }, "streams": [ { "name": "a", "source": { "type": "testPattern" } } ] }""");

        var (code, stdout, stderr) = await RunAsync("check-config", "--config", path);

        Assert.Equal(ExitCodes.Config, code);
        Assert.Contains("config error: rtsp.porrt: unknown key", stderr, StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Check_config_with_good_file_exits_0_and_prints_json()
    {
        var path = WriteConfig("""{ "rtsp": { "port": 0 }, "streams": [ { "name": "front", "source": { "type": "testPattern", "width": 640, "height": 480 } } ] }""");

        var (code, stdout, stderr) = await RunAsync("check-config", "--config", path);

        Assert.True(code == ExitCodes.Ok, stderr);
        var options = ConfigLoader.Parse(stdout).Options;
        Assert.Equal(("front", 640, 0), (options.Streams[0].Name, options.Streams[0].Source.Width, options.Rtsp.Port));
    }

    [Fact]
    public async Task Version_exits_0_and_prints_the_version()
    {
        var (code, stdout, _) = await RunAsync("--version");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.StartsWith("0.1.0", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daemon_with_missing_config_exits_78()
    {
        var (code, _, stderr) = await RunAsync("--config", Path.Combine(_directory, "missing.json"));

        Assert.Equal(ExitCodes.Config, code);
        Assert.Contains("missing.json: config file not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Daemon_runs_until_sigterm_and_exits_0()
    {
        var path = WriteConfig("""{ "rtsp": { "port": 0, "multicast": { "enabled": true } }, "http": { "listenAddress": "127.0.0.1", "port": 0 }, "streams": [ { "name": "a", "source": { "type": "testPattern" } }, { "name": "b", "source": { "type": "composite", "width": 320, "height": 240, "layout": "grid", "inputs": [ { "url": "rtsp://127.0.0.1:9/x" } ] } } ] }""");
        using var process = Start("--config", path);
        var output = new StringBuilder();
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }

            if (e.Data?.Contains("camstreamd running", StringComparison.Ordinal) == true)
            {
                running.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await running.Task.WaitAsync(timeout.Token);
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(timeout.Token);
            }

            await process.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }

        Assert.Equal(ExitCodes.Ok, process.ExitCode);
        string log;
        lock (output)
        {
            log = output.ToString();
        }

        Assert.Contains("camstreamd stopped", log, StringComparison.Ordinal);
    }

    private string WriteConfig(string json)
    {
        var path = Path.Combine(_directory, "camstreamd.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static Process Start(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "camstreamd.dll");
        Assert.True(File.Exists(dll), $"{dll} not found next to the tests");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
        }
    }
}
