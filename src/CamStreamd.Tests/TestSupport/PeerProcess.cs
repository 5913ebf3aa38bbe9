using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace CamStreamd.Tests.TestSupport;

/// <summary>
/// Runs a real peer program (ffmpeg, ffprobe, gcc, gst-launch-1.0) with a hard timeout, killing
/// its process tree when the timeout passes, and collects its output. A program that is not
/// installed fails with the Debian package to install.
/// </summary>
internal static class PeerProcess
{
    private const int MaxCapturedChars = 1_000_000;

    /// <summary>The outcome of one run.</summary>
    /// <param name="ExitCode">The exit code (meaningless when <paramref name="TimedOut"/>).</param>
    /// <param name="StandardOutput">Up to 1 M characters of stdout.</param>
    /// <param name="StandardError">Everything on stderr.</param>
    /// <param name="TimedOut">True when the program was killed at the timeout.</param>
    /// <param name="FirstStandardOutput">When the first stdout bytes arrived, from the start.</param>
    /// <param name="Elapsed">Start to exit.</param>
    internal sealed record Result(int ExitCode, string StandardOutput, string StandardError, bool TimedOut, TimeSpan? FirstStandardOutput, TimeSpan Elapsed);

    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/> and waits for it (sync tests).</summary>
    public static Result Run(string file, IEnumerable<string> arguments, string debianPackage, TimeSpan? timeout = null, string? workingDirectory = null) =>
        RunAsync(file, arguments, timeout ?? TimeSpan.FromSeconds(60), debianPackage, workingDirectory).GetAwaiter().GetResult();

    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/>; stdin is closed at once.</summary>
    public static async Task<Result> RunAsync(string file, IEnumerable<string> arguments, TimeSpan timeout, string? debianPackage = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var stopwatch = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"'{file}' could not be run ({e.Message}): install the Debian package {debianPackage ?? file}", e);
        }

        using (process)
        {
            process.StandardInput.Close();
            TimeSpan? firstOutput = null;
            var stdout = new StringBuilder();
            var readOut = Task.Run(async () =>
            {
                var buffer = new char[4096];
                int read;
                while ((read = await process.StandardOutput.ReadAsync(buffer)) > 0)
                {
                    firstOutput ??= stopwatch.Elapsed;
                    if (stdout.Length < MaxCapturedChars)
                    {
                        stdout.Append(buffer, 0, read);
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
            return new Result(process.ExitCode, stdout.ToString(), await readErr, timedOut, firstOutput, stopwatch.Elapsed);
        }
    }
}
