using Microsoft.Extensions.Logging;

namespace CamStreamd.Hosting;

/// <summary>Log messages of the daemon's lifecycle (event ids 100..119).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "camstreamd {Version} starting, configuration from {Source}, streams: {Streams}")]
    public static partial void Starting(ILogger logger, string version, string source, string streams);

    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "config {Key}: {Notice}")]
    public static partial void ConfigNotice(ILogger logger, string key, string notice);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "camstreamd running")]
    public static partial void Started(ILogger logger);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "camstreamd stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 104, Level = LogLevel.Critical, Message = "cannot start, a required port or device is unavailable: {Reason}")]
    public static partial void Unavailable(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 105, Level = LogLevel.Critical, Message = "camstreamd failed")]
    public static partial void Failed(ILogger logger, Exception exception);
}
