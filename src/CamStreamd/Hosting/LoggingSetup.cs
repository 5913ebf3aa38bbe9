using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using LoggingOptions = CamStreamd.Configuration.LoggingOptions;

namespace CamStreamd.Hosting;

/// <summary>
/// Serilog to the console, plugged into Microsoft.Extensions.Logging so that the code logs through
/// <c>ILogger</c> and <c>[LoggerMessage]</c>. Under systemd stdout goes to the journal.
/// </summary>
public static class LoggingSetup
{
    /// <summary>Line layout: time, level, short category, message, exception.</summary>
    public const string OutputTemplate =
        "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {" + ShortSourceContextEnricher.PropertyName + "}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// A logger at the level of <paramref name="options"/> writing to the console, or to
    /// <paramref name="sink"/> instead (tests). Framework categories (<c>Microsoft.*</c>) log warnings
    /// and above unless the level is Verbose. With <paramref name="levels"/> the levels follow those
    /// switches (live reload); with <paramref name="journal"/> each console line carries a
    /// <c>&lt;N&gt;</c> syslog priority for journald (<see cref="JournalFormatter"/>).
    /// </summary>
    public static Logger CreateLogger(LoggingOptions options, ILogEventSink? sink = null, LogLevelSwitches? levels = null, bool journal = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        levels ??= new LogLevelSwitches(options.Level);
        var configuration = new LoggerConfiguration()
            .MinimumLevel.ControlledBy(levels.Default)
            .MinimumLevel.Override("Microsoft", levels.Framework)
            .Enrich.With(new ShortSourceContextEnricher());
        configuration = sink is not null ? configuration.WriteTo.Sink(sink)
            : journal ? configuration.WriteTo.Console(new JournalFormatter())
            : configuration.WriteTo.Console(outputTemplate: OutputTemplate, formatProvider: CultureInfo.InvariantCulture);
        return configuration.CreateLogger();
    }

    /// <summary>
    /// Routes every <c>ILogger</c> of <paramref name="services"/> to <paramref name="logger"/> only,
    /// through Serilog.Extensions.Hosting (its logger factory replaces the default one, so no other
    /// provider sees an event); it owns the logger and flushes and disposes it when the host's
    /// services are disposed.
    /// </summary>
    public static IServiceCollection UseSerilog(IServiceCollection services, Logger logger)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(logger);

        // Serilog filters by level itself; let every event through to it.
        services.AddLogging(builder => builder.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Trace));
        return services.AddSerilog(logger, dispose: true);
    }

    /// <summary><c>logging.level</c> (Verbose, Debug, Information, Warning, Error, Fatal; any case) as a Serilog level.</summary>
    /// <exception cref="ArgumentException">The name is not one of those.</exception>
    public static LogEventLevel ParseLevel(string level) => level?.ToUpperInvariant() switch
    {
        "VERBOSE" => LogEventLevel.Verbose,
        "DEBUG" => LogEventLevel.Debug,
        "INFORMATION" => LogEventLevel.Information,
        "WARNING" => LogEventLevel.Warning,
        "ERROR" => LogEventLevel.Error,
        "FATAL" => LogEventLevel.Fatal,
        _ => throw new ArgumentException($"unknown log level \"{level}\"", nameof(level)),
    };
}
