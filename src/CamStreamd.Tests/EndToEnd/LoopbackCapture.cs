using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CamStreamd.Tests.EndToEnd;

/// <summary>
/// A packet capture on the loopback interface with Wireshark's <c>dumpcap</c> (package
/// wireshark-common, pulled in by tshark), limited by a BPF capture filter. Capturing needs root
/// (or CAP_NET_RAW on dumpcap); when it is not permitted, <see cref="StartAsync"/> throws with
/// dumpcap's own words instead of the test passing on an empty capture.
/// </summary>
internal sealed class LoopbackCapture : IAsyncDisposable
{
    private const string Dumpcap = "/usr/bin/dumpcap";
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private LoopbackCapture(Process process, string path)
    {
        _process = process;
        PcapPath = path;
    }

    /// <summary>The pcapng file being written.</summary>
    public string PcapPath { get; }

    /// <summary>What dumpcap printed on stderr so far (start line, packet counts, errors).</summary>
    public string Diagnostics
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>
    /// Starts capturing on <c>lo</c> with <paramref name="captureFilter"/> and returns once dumpcap
    /// reports that it captures; dumpcap stops by itself after <paramref name="maxDuration"/>.
    /// With <paramref name="networkNamespace"/>, the <c>lo</c> of that namespace (<c>ip netns exec</c>
    /// execs dumpcap in place, so the process stopped is dumpcap itself).
    /// </summary>
    public static async Task<LoopbackCapture> StartAsync(string captureFilter, TimeSpan maxDuration, string? networkNamespace = null)
    {
        if (!File.Exists(Dumpcap))
        {
            throw new InvalidOperationException($"{Dumpcap} is missing: install the Debian package tshark");
        }

        var path = Path.Combine(Path.GetTempPath(), $"camstreamd-e2e-{Guid.NewGuid():N}.pcapng");
        var info = new ProcessStartInfo(networkNamespace is null ? Dumpcap : "/usr/sbin/ip")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (networkNamespace is not null)
        {
            foreach (var argument in (string[])["netns", "exec", networkNamespace, Dumpcap])
            {
                info.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in new[]
        {
            "-i", "lo", "-f", captureFilter, "-w", path,
            "-a", "duration:" + ((int)maxDuration.TotalSeconds).ToString(CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("dumpcap did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"dumpcap could not be run ({e.Message}): install the Debian package tshark", e);
        }

        var capture = new LoopbackCapture(process, path);
        var capturing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (capture._stderr)
            {
                capture._stderr.AppendLine(e.Data);
            }

            // dumpcap prints "Capturing on 'Loopback: lo'" before it opens the interface (also
            // when that is then refused), and "File: PATH" once the interface is open, the filter
            // set and the file created: packets from then on are in the file.
            if (e.Data.StartsWith("File: ", StringComparison.Ordinal))
            {
                capturing.TrySetResult();
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(capturing.Task, exited, Task.Delay(TimeSpan.FromSeconds(15)));
        if (first != capturing.Task)
        {
            var why = first == exited
                ? $"dumpcap exited with code {process.ExitCode} before capturing"
                : "dumpcap did not start capturing within 15 s";
            await Task.Delay(200);
            var text = capture.Diagnostics;
            await capture.DisposeAsync();
            throw new InvalidOperationException(
                $"Capturing on lo failed: {why} (capturing needs root or CAP_NET_RAW on dumpcap; CI runs as root):\n{text}");
        }

        return capture;
    }

    /// <summary>Stops the capture (SIGTERM, so dumpcap closes the file properly), waits for it and checks that it ended well.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            if (kill is not null)
            {
                await kill.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            }
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        if (_process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dumpcap ended with exit code {_process.ExitCode}:\n{Diagnostics}");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
        }
        finally
        {
            _process.Dispose();
            File.Delete(PcapPath);
        }
    }
}
