using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CamStreamd.Tests.Composite;

/// <summary>
/// A real viewer of an RTSP stream: ffmpeg decodes it to raw I420 on its standard output (every
/// picture, read here as it comes) and prints showinfo's pts of each picture and any decode error
/// on its standard error. The test inspects pictures through <see cref="OnPicture"/>.
/// </summary>
internal sealed partial class RawVideoViewer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _log = [];
    private readonly List<double> _pts = [];
    private readonly Task _reader;
    private readonly int _frameBytes;
    private long _pictures;

    private RawVideoViewer(Process process, int width, int height, Action<byte[], long> onPicture)
    {
        _process = process;
        Width = width;
        Height = height;
        _frameBytes = width * height * 3 / 2;
        OnPicture = onPicture;
        _reader = Task.Run(ReadAsync);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>Called on the reader's thread with each picture (I420, reused buffer) and its index.</summary>
    public Action<byte[], long> OnPicture { get; }

    public long Pictures => Interlocked.Read(ref _pictures);

    public bool Running => !_process.HasExited;

    /// <summary>The pts (seconds) of each decoded picture, in order.</summary>
    public IReadOnlyList<double> Pts
    {
        get
        {
            lock (_pts)
            {
                return [.. _pts];
            }
        }
    }

    /// <summary>ffmpeg's lines other than showinfo's.</summary>
    public IReadOnlyList<string> Log
    {
        get
        {
            lock (_log)
            {
                return [.. _log];
            }
        }
    }

    /// <summary>Plays <paramref name="url"/> over TCP, each picture scaled to <paramref name="width"/>x<paramref name="height"/>.</summary>
    public static RawVideoViewer Start(string url, int width, int height, Action<byte[], long> onPicture)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in (string[])["-nostdin", "-hide_banner", "-loglevel", "info", "-rtsp_transport", "tcp", "-i", url, "-vf", $"showinfo,scale={width}:{height}", "-f", "rawvideo", "-pix_fmt", "yuv420p", "pipe:1"])
        {
            info.ArgumentList.Add(a);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("ffmpeg did not start");
        var viewer = new RawVideoViewer(process, width, height, onPicture);
        process.ErrorDataReceived += (_, e) => viewer.OnLine(e.Data);
        process.BeginErrorReadLine();
        return viewer;
    }

    public async ValueTask DisposeAsync()
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
            // Gone already.
        }

        await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        await _reader.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _process.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[_frameBytes];
        var stream = _process.StandardOutput.BaseStream;
        try
        {
            while (true)
            {
                await stream.ReadExactlyAsync(buffer);
                OnPicture(buffer, Interlocked.Increment(ref _pictures) - 1);
            }
        }
        catch (EndOfStreamException)
        {
            // ffmpeg ended.
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        var match = PtsTime().Match(line);
        if (match.Success)
        {
            lock (_pts)
            {
                _pts.Add(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));
            }
        }
        else if (!line.Contains("Parsed_showinfo", StringComparison.Ordinal))
        {
            lock (_log)
            {
                _log.Add(line);
            }
        }
    }

    [GeneratedRegex(@"Parsed_showinfo.*\bpts_time:\s*([0-9.]+)")]
    private static partial Regex PtsTime();
}
