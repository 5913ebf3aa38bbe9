using Microsoft.Extensions.Logging;

namespace CamStreamd.WebRtc.Feed;

/// <summary>Source-generated log messages of the WebRTC media feed (event ids 8100–8199, stable).</summary>
internal static partial class WebRtcLog
{
    [LoggerMessage(EventId = 8100, Level = LogLevel.Debug, Message = "WebRTC feed of {Stream} started (SSRC space {Ssrc:X8})")]
    public static partial void FeedStarted(this ILogger logger, string stream, uint ssrc);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Debug, Message = "WebRTC feed of {Stream} stopped: {Reason}")]
    public static partial void FeedStopped(this ILogger logger, string stream, string reason);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Debug, Message = "WebRTC session {Ssrc:X8} on {Stream}: {How}")]
    public static partial void SessionJoined(this ILogger logger, uint ssrc, string stream, string how);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Debug, Message = "WebRTC session {Ssrc:X8} on {Stream}: send would block, skipping to the next IDR ({Drops} frames dropped so far)")]
    public static partial void SessionSkipping(this ILogger logger, uint ssrc, string stream, long drops);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Error, Message = "WebRTC feed of {Stream} failed")]
    public static partial void FeedFailed(this ILogger logger, Exception exception, string stream);
}
