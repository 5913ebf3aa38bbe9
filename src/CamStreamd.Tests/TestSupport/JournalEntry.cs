using System.Globalization;
using System.Text.Json;

namespace CamStreamd.Tests.TestSupport;

/// <summary>One entry of <c>journalctl -o json</c> (one JSON object a line).</summary>
/// <param name="Message">MESSAGE (journald exports it as an array of bytes when it is not plain UTF-8 text).</param>
/// <param name="Priority">PRIORITY, the syslog severity (6 info, 4 warning, 3 error), or null when absent.</param>
/// <param name="Identifier">SYSLOG_IDENTIFIER, or an empty string.</param>
/// <param name="MonotonicMicroseconds">__MONOTONIC_TIMESTAMP: microseconds since boot when journald received it.</param>
internal sealed record JournalEntry(string Message, int? Priority, string Identifier, long MonotonicMicroseconds)
{
    /// <summary>Parses an export; lines that are not JSON objects are skipped.</summary>
    public static IReadOnlyList<JournalEntry> ParseJsonLines(string text)
    {
        List<JournalEntry> entries = [];
        foreach (var line in text.Split('\n'))
        {
            if (!line.TrimStart().StartsWith('{'))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            entries.Add(new JournalEntry(
                Field(root, "MESSAGE"),
                int.TryParse(Field(root, "PRIORITY"), CultureInfo.InvariantCulture, out var priority) ? priority : null,
                Field(root, "SYSLOG_IDENTIFIER"),
                long.TryParse(Field(root, "__MONOTONIC_TIMESTAMP"), CultureInfo.InvariantCulture, out var monotonic) ? monotonic : 0));
        }

        return entries;
    }

    /// <summary>One line as <c>journalctl -o short-monotonic</c> would show it, with the priority.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"[{MonotonicMicroseconds / 1e6,10:0.000}] <{Priority}> {Identifier}: {Message}");

    private static string Field(JsonElement entry, string name)
    {
        if (!entry.TryGetProperty(name, out var value))
        {
            return string.Empty;
        }

        return value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Array => System.Text.Encoding.UTF8.GetString(value.EnumerateArray().Select(b => b.GetByte()).ToArray()),
            _ => value.ToString(),
        };
    }
}
