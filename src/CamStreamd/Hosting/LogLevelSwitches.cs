using Serilog.Core;
using Serilog.Events;

namespace CamStreamd.Hosting;

/// <summary>
/// The live log levels: one for the daemon's own categories and one for framework categories
/// (<c>Microsoft.*</c>, warnings and above unless Verbose), so a reload can change <c>logging.level</c>
/// without rebuilding the logger.
/// </summary>
public sealed class LogLevelSwitches
{
    /// <summary>Starts at <paramref name="level"/> (a <c>logging.level</c> name).</summary>
    public LogLevelSwitches(string level)
    {
        var parsed = LoggingSetup.ParseLevel(level);
        Default = new LoggingLevelSwitch(parsed);
        Framework = new LoggingLevelSwitch(FrameworkLevel(parsed));
    }

    /// <summary>The daemon's level.</summary>
    public LoggingLevelSwitch Default { get; }

    /// <summary>The level of <c>Microsoft.*</c> categories.</summary>
    public LoggingLevelSwitch Framework { get; }

    /// <summary>Sets both levels from <paramref name="level"/>; true when the daemon's level changed.</summary>
    /// <exception cref="ArgumentException">Not a level name.</exception>
    public bool Apply(string level)
    {
        var parsed = LoggingSetup.ParseLevel(level);
        var changed = Default.MinimumLevel != parsed;
        Default.MinimumLevel = parsed;
        Framework.MinimumLevel = FrameworkLevel(parsed);
        return changed;
    }

    private static LogEventLevel FrameworkLevel(LogEventLevel level) =>
        level == LogEventLevel.Verbose ? level : (LogEventLevel)Math.Max((int)level, (int)LogEventLevel.Warning);
}
