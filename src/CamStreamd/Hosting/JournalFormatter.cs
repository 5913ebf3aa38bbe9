using System.Globalization;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Display;

namespace CamStreamd.Hosting;

/// <summary>
/// Formats events for journald's stream transport: every line (exception stack lines included)
/// starts with <c>&lt;N&gt;</c>, the syslog priority of the event's level; no timestamp (journald stamps each entry).
/// </summary>
public sealed class JournalFormatter : ITextFormatter
{
    /// <summary>Line layout after the priority prefix.</summary>
    public const string OutputTemplate = "[{Level:u3}] {" + ShortSourceContextEnricher.PropertyName + "}: {Message:lj}{NewLine}{Exception}";

    private readonly MessageTemplateTextFormatter _inner = new(OutputTemplate, CultureInfo.InvariantCulture);

    /// <summary>The syslog priority (RFC 5424 severity) journald records for <paramref name="level"/>.</summary>
    public static int Priority(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose or LogEventLevel.Debug => 7, // LOG_DEBUG
        LogEventLevel.Information => 6, // LOG_INFO
        LogEventLevel.Warning => 4, // LOG_WARNING
        LogEventLevel.Error => 3, // LOG_ERR
        _ => 2, // LOG_CRIT
    };

    /// <inheritdoc />
    public void Format(LogEvent logEvent, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(logEvent);
        ArgumentNullException.ThrowIfNull(output);
        using var buffer = new StringWriter(CultureInfo.InvariantCulture);
        _inner.Format(logEvent, buffer);
        var prefix = $"<{Priority(logEvent.Level)}>";
        foreach (var line in buffer.ToString().Split('\n'))
        {
            var text = line.TrimEnd('\r');
            if (text.Length > 0)
            {
                output.Write(prefix);
                output.Write(text);
                output.Write('\n');
            }
        }
    }
}
