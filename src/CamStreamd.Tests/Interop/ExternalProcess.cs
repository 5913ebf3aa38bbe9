using System.ComponentModel;
using System.Diagnostics;

namespace CamStreamd.Tests.Interop;

/// <summary>Runs a real tool (gcc, ffmpeg, ffprobe) with a timeout and captures its output.</summary>
internal static class ExternalProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs <paramref name="file"/>; a missing tool fails with the Debian package to install.</summary>
    public static Result Run(string file, IEnumerable<string> arguments, string debianPackage, TimeSpan? timeout = null, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"'{file}' could not be run ({e.Message}): install the Debian package {debianPackage}", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{file} {string.Join(' ', info.ArgumentList)} did not finish in time");
            }

            process.WaitForExit();
            return new Result(process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
        }
    }
}
