using CamStreamd.Configuration;
using CamStreamd.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace CamStreamd.Tests.Hosting;

public class LoggingSetupTests
{
    [Theory]
    [InlineData("verbose", LogEventLevel.Verbose)]
    [InlineData("Debug", LogEventLevel.Debug)]
    [InlineData("INFORMATION", LogEventLevel.Information)]
    [InlineData("Warning", LogEventLevel.Warning)]
    [InlineData("error", LogEventLevel.Error)]
    [InlineData("Fatal", LogEventLevel.Fatal)]
    public void Level_names_parse_in_any_case(string name, LogEventLevel expected)
    {
        Assert.Equal(expected, LoggingSetup.ParseLevel(name));
    }

    [Fact]
    public void Unknown_level_throws()
    {
        Assert.Throws<ArgumentException>(() => LoggingSetup.ParseLevel("Trace"));
    }

    [Theory]
    [InlineData("CamStreamd.Rtsp.RtspServer", "RtspServer")]
    [InlineData("Program", "Program")]
    [InlineData("CamStreamd.Media.StreamHub<CamStreamd.X>", "StreamHub")]
    public void Category_is_shortened_to_its_last_part(string category, string expected)
    {
        Assert.Equal(expected, ShortSourceContextEnricher.Shorten(category));
    }

    [Fact]
    public void Ilogger_events_reach_serilog_filtered_by_level_with_the_short_category()
    {
        var sink = new ListSink();
        var services = new ServiceCollection();
        LoggingSetup.UseSerilog(services, LoggingSetup.CreateLogger(new LoggingOptions("warning"), sink));
        using (var provider = services.BuildServiceProvider())
        {
            var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("CamStreamd.Rtsp.RtspServer");
#pragma warning disable CA1848 // a test of the plumbing, not a hot path
            logger.LogInformation("dropped {N}", 1);
            logger.LogWarning("kept {N}", 2);
#pragma warning restore CA1848
        }

        var e = Assert.Single(sink.Events);
        var formatter = new MessageTemplateTextFormatter(LoggingSetup.OutputTemplate, System.Globalization.CultureInfo.InvariantCulture);
        using var text = new StringWriter();
        formatter.Format(e, text);
        Assert.Matches(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \[WRN\] RtspServer: kept 2\r?\n$", text.ToString());
        Assert.True(sink.Disposed, "disposing the service provider must dispose the Serilog logger (and so its sinks)");
    }

    private sealed class ListSink : ILogEventSink, IDisposable
    {
        public List<LogEvent> Events { get; } = [];

        public bool Disposed { get; private set; }

        public void Emit(LogEvent logEvent) => Events.Add(logEvent);

        public void Dispose() => Disposed = true;
    }
}
