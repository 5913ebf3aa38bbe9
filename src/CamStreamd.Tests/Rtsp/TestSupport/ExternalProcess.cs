using System.Diagnostics;
using System.Text;

namespace CamStreamd.Tests.Rtsp.TestSupport;

/// <summary>Runs ffmpeg/ffprobe with a hard timeout; the process tree is killed on timeout.</summary>
internal static class ExternalProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr, bool TimedOut, TimeSpan? FirstStdOut, TimeSpan Elapsed);

    public static async Task<Result> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        TimeSpan? firstOut = null;
        var stdout = new StringBuilder();
        var readOut = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = await process.StandardOutput.ReadAsync(buffer)) > 0)
            {
                firstOut ??= stopwatch.Elapsed;
                if (stdout.Length < 1_000_000)
                {
                    stdout.Append(buffer, 0, n);
                }
            }
        });
        var readErr = process.StandardError.ReadToEndAsync();
        var timedOut = false;
        using (var cts = new CancellationTokenSource(timeout))
        {
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                timedOut = true;
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        await Task.WhenAll(readOut, readErr).WaitAsync(TimeSpan.FromSeconds(5));
        return new Result(process.ExitCode, stdout.ToString(), await readErr, timedOut, firstOut, stopwatch.Elapsed);
    }
}
