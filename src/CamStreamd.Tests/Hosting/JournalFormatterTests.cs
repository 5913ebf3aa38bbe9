using CamStreamd.Configuration;
using CamStreamd.Hosting;
using Serilog.Events;
using Serilog.Parsing;

namespace CamStreamd.Tests.Hosting;

/// <summary>journald stream lines: a <c>&lt;N&gt;</c> syslog priority on every line.</summary>
public sealed class JournalFormatterTests
{
    [Theory]
    [InlineData(LogEventLevel.Debug, 7)]
    [InlineData(LogEventLevel.Information, 6)]
    [InlineData(LogEventLevel.Warning, 4)]
    [InlineData(LogEventLevel.Error, 3)]
    [InlineData(LogEventLevel.Fatal, 2)]
    public void Every_line_carries_the_priority_of_the_level(LogEventLevel level, int priority)
    {
        var exception = new InvalidOperationException("boom");
        var logEvent = new LogEvent(DateTimeOffset.UnixEpoch, level, level >= LogEventLevel.Error ? exception : null,
            new MessageTemplateParser().Parse("Stream {Stream}: started"),
            [new LogEventProperty("Stream", new ScalarValue("cam0")), new LogEventProperty(ShortSourceContextEnricher.PropertyName, new ScalarValue("Supervisor"))]);
        using var output = new StringWriter();

        new JournalFormatter().Format(logEvent, output);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"<{priority}>[", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("Supervisor: Stream cam0: started", lines[0], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.StartsWith($"<{priority}>", l, StringComparison.Ordinal));
        Assert.Equal(level >= LogEventLevel.Error, lines.Length > 1);
    }

    [Theory]
    [InlineData("8:12345", 8UL, 12345UL, true)]
    [InlineData("8:12345", 8UL, 12346UL, false)]
    [InlineData("", 8UL, 12345UL, false)]
    [InlineData("8-12345", 8UL, 12345UL, false)]
    public void JOURNAL_STREAM_must_name_the_output_descriptor(string value, ulong device, ulong inode, bool journal) =>
        Assert.Equal(journal, JournalOutput.Matches(value, (device, inode)));

    [Fact]
    public void Log_level_switches_change_the_level_live()
    {
        var levels = new LogLevelSwitches("Information");
        var sink = new CollectingEventSink();
        using var logger = LoggingSetup.CreateLogger(new LoggingOptions("Information"), sink, levels);

        logger.Debug("hidden");
        Assert.True(levels.Apply("debug"));
        logger.Debug("shown");
        Assert.False(levels.Apply("Debug"));

        Assert.Equal(["shown"], sink.Events.Select(e => e.MessageTemplate.Text));
    }

    private sealed class CollectingEventSink : Serilog.Core.ILogEventSink
    {
        public List<LogEvent> Events { get; } = [];

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);
    }
}
