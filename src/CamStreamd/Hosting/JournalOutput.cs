using System.Globalization;
using CamStreamd.Interop.Systemd;

namespace CamStreamd.Hosting;

/// <summary>
/// Whether the log output goes straight to the journal: systemd sets <c>$JOURNAL_STREAM</c> to
/// <c>DEVICE:INODE</c> of the stream it connected to stdout/stderr (systemd.exec(5)); the output is
/// the journal when that matches the descriptor we write to. Then each line carries a <c>&lt;N&gt;</c>
/// syslog priority prefix, which journald strips and stores as PRIORITY= (sd-daemon(3)).
/// </summary>
public static class JournalOutput
{
    /// <summary>The variable systemd sets.</summary>
    public const string Variable = "JOURNAL_STREAM";

    /// <summary>stdout, where the Serilog console sink writes.</summary>
    public const int StandardOutput = 1;

    /// <summary>True when <paramref name="fd"/> is the stream <c>$JOURNAL_STREAM</c> names.</summary>
    public static bool IsJournal(int fd = StandardOutput) =>
        Matches(Environment.GetEnvironmentVariable(Variable), SystemdLibc.GetDeviceAndInode(fd));

    /// <summary>True when <paramref name="journalStream"/> (<c>DEVICE:INODE</c>, decimal) names <paramref name="deviceAndInode"/>.</summary>
    public static bool Matches(string? journalStream, (ulong Device, ulong Inode)? deviceAndInode)
    {
        if (string.IsNullOrEmpty(journalStream) || deviceAndInode is not { } actual)
        {
            return false;
        }

        var colon = journalStream.IndexOf(':', StringComparison.Ordinal);
        return colon > 0
            && ulong.TryParse(journalStream.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var device)
            && ulong.TryParse(journalStream.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
            && device == actual.Device && inode == actual.Inode;
    }
}
