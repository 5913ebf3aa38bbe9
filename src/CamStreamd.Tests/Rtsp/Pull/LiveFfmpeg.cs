using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CamStreamd.Tests.Rtsp.Pull;

/// <summary>
/// An ffmpeg client that keeps playing an RTSP URL while the test watches, each decoded picture
/// reported by the showinfo filter with its size and the time its line arrived. Killed on dispose
/// (and after a hard limit).
/// </summary>
internal sealed partial class LiveFfmpeg : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly List<(TimeSpan At, int Number, int Width, int Height)> _frames = [];
    private readonly List<string> _otherLines = [];
    private readonly CancellationTokenSource _limit;

    private LiveFfmpeg(Process process, Stopwatch clock, TimeSpan limit)
    {
        _process = process;
        _clock = clock;
        _limit = new CancellationTokenSource(limit);
        _limit.Token.Register(() => Kill());
    }

    /// <summary>True while ffmpeg runs.</summary>
    public bool Running => !_process.HasExited;

    /// <summary>Time since ffmpeg started, on the clock the frames are stamped with.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Decoded pictures so far.</summary>
    public IReadOnlyList<(TimeSpan At, int Number, int Width, int Height)> Frames
    {
        get
        {
            lock (_frames)
            {
                return [.. _frames];
            }
        }
    }

    /// <summary>ffmpeg's other stderr lines (for failure messages).</summary>
    public string Log
    {
        get
        {
            lock (_frames)
            {
                return string.Join('\n', _otherLines.TakeLast(40));
            }
        }
    }

    /// <summary>Starts playing <paramref name="url"/> over <paramref name="transport"/> for at most <paramref name="limit"/>.</summary>
    public static LiveFfmpeg Start(string url, string transport, TimeSpan limit)
    {
        var info = new ProcessStartInfo("ffmpeg")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-nostdin", "-hide_banner", "-loglevel", "info", "-rtsp_transport", transport, "-i", url, "-vf", "showinfo", "-f", "null", "-"])
        {
            info.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start");
        var ffmpeg = new LiveFfmpeg(process, clock, limit);
        process.ErrorDataReceived += (_, e) => ffmpeg.OnLine(e.Data);
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return ffmpeg;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the frames so far; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<(TimeSpan At, int Number, int Width, int Height)>, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition(Frames))
        {
            Assert.True(deadline.Elapsed < timeout, $"ffmpeg: timed out after {timeout.TotalSeconds} s waiting for {what} (running: {Running}, frames: {Frames.Count})\n{Log}");
            await Task.Delay(50);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Kill();
        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _limit.Dispose();
        _process.Dispose();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        var match = ShowinfoLine().Match(line);
        lock (_frames)
        {
            if (match.Success)
            {
                var inv = CultureInfo.InvariantCulture;
                _frames.Add((_clock.Elapsed, int.Parse(match.Groups[1].Value, inv), int.Parse(match.Groups[2].Value, inv), int.Parse(match.Groups[3].Value, inv)));
            }
            else if (!line.Contains("Parsed_showinfo", StringComparison.Ordinal))
            {
                _otherLines.Add(line);
            }
        }
    }

    // [Parsed_showinfo_0 @ 0x...] n:  12 pts: ... s:320x240 ...
    [GeneratedRegex(@"Parsed_showinfo.*\bn:\s*(\d+)\b.*\bs:(\d+)x(\d+)")]
    private static partial Regex ShowinfoLine();
}
