using System.Globalization;
using System.Runtime.InteropServices;

namespace CamStreamd.WhepLoad;

/// <summary>
/// whepload URL N [--verify-every K] [--seconds S]: N WHEP sessions on URL
/// (http://HOST:PORT/streams/NAME/whep). Prints "ready sessions=N" once every session has
/// decrypted media; SIGUSR1 starts the rate window; SIGTERM/SIGINT (or S seconds after ready)
/// prints the summary line, DELETEs the sessions and exits 0. Errors go to stderr, exit 1.
/// </summary>
public static class Program
{
    // SIGUSR1 on Linux (x86-64 and arm64); .NET takes raw signal numbers cast to PosixSignal.
    private const int SigUsr1 = 10;

    /// <summary>Runs the load.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 2 || !Uri.TryCreate(args[0], UriKind.Absolute, out var endpoint) || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            await Console.Error.WriteLineAsync("usage: whepload http://HOST:PORT/streams/NAME/whep N [--verify-every K] [--seconds S]").ConfigureAwait(false);
            return 64;
        }

        var verifyEvery = Option(args, "--verify-every", 16);
        var seconds = Option(args, "--seconds", 0);
        await using var run = new WhepLoadRun();
        using var stop = new CancellationTokenSource();
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
        using var mark = PosixSignalRegistration.Create((PosixSignal)SigUsr1, context => { context.Cancel = true; run.Mark(); });
        try
        {
            await run.StartAsync(endpoint, count, verifyEvery, stop.Token).ConfigureAwait(false);
            await run.WaitForMediaAsync(1, TimeSpan.FromSeconds(30), stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"whepload: {e.Message}").ConfigureAwait(false);
            return 1;
        }

        run.Mark();
        Console.WriteLine($"ready sessions={count}");
        try
        {
            await Task.Delay(seconds > 0 ? TimeSpan.FromSeconds(seconds) : Timeout.InfiniteTimeSpan, stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM: report and end.
        }

        Console.WriteLine(run.Summary());
        return 0;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        var at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length && int.TryParse(args[at + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }
}
