namespace CamStreamd.Tests.TestSupport.Qemu;

/// <summary>What a guest run left behind.</summary>
/// <param name="Console">The serial console (kernel and init messages).</param>
/// <param name="ScriptLog">stdout and stderr of the guest script.</param>
/// <param name="ScriptExitCode">The script's exit code, or null when the guest never reported it.</param>
/// <param name="TimedOut">The guest was killed at the timeout.</param>
/// <param name="Elapsed">Start of QEMU to its exit.</param>
/// <param name="OutputDirectory">The host directory the guest saw as <c>/run/guest</c> (files the script wrote).</param>
internal sealed record QemuGuestResult(string Console, string ScriptLog, int? ScriptExitCode, bool TimedOut, TimeSpan Elapsed, string OutputDirectory)
{
    /// <summary>Everything, for assertion messages.</summary>
    public string Describe() =>
        $"guest script exit {ScriptExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}, timed out {TimedOut}, {Elapsed.TotalSeconds:0.0} s\n--- script log ---\n{ScriptLog}\n--- console (tail) ---\n{Tail(Console, 3000)}";

    private static string Tail(string text, int chars) => text.Length <= chars ? text : text[^chars..];
}
