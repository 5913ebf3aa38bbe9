using Microsoft.Extensions.Logging;

namespace CamStreamd.Publish;

/// <summary>Log messages of the publishers (event ids 8000–8019).</summary>
internal static partial class PublishLog
{
    [LoggerMessage(EventId = 8000, Level = LogLevel.Information, Message = "Stream {Stream}: publishing to {Url} ({Detail})")]
    public static partial void Publishing(ILogger logger, string stream, string url, string detail);

    [LoggerMessage(EventId = 8001, Level = LogLevel.Warning, Message = "Stream {Stream}: publishing to {Url} failed: {Reason}; retrying in {DelaySeconds} s")]
    public static partial void Failed(ILogger logger, string stream, string url, string reason, double delaySeconds);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "Stream {Stream}: stopped publishing to {Url}")]
    public static partial void Stopped(ILogger logger, string stream, string url);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Debug, Message = "Stream {Stream}: TEARDOWN of {Url} failed: {Reason}")]
    public static partial void TeardownFailed(ILogger logger, string stream, string url, string reason);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Debug, Message = "Stream {Stream}: announced to {Url}:\n{Sdp}")]
    public static partial void Announced(ILogger logger, string stream, string url, string sdp);
}
