using System.Net;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>Source-generated log messages of RTSP multicast (event ids 1600–1699, stable).</summary>
internal static partial class MulticastLog
{
    [LoggerMessage(EventId = 1600, Level = LogLevel.Information, Message = "RTSP multicast: stream {Stream} sending to {Group} (ttl {Ttl})")]
    public static partial void SenderStarted(this ILogger logger, string stream, IPEndPoint group, int ttl);

    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "RTSP multicast: stream {Stream} stopped sending to {Group}; frames sent {Frames}, dropped {Dropped}")]
    public static partial void SenderStopped(this ILogger logger, string stream, IPEndPoint group, long frames, long dropped);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information, Message = "RTSP multicast: viewer joined {Group} of stream {Stream} ({Viewers} viewers)")]
    public static partial void ViewerJoined(this ILogger logger, IPEndPoint group, string stream, int viewers);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Information, Message = "RTSP multicast: viewer left {Group} of stream {Stream} ({Viewers} viewers)")]
    public static partial void ViewerLeft(this ILogger logger, IPEndPoint group, string stream, int viewers);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Warning, Message = "RTSP multicast: no free group for stream {Stream} in {Range}")]
    public static partial void RangeFull(this ILogger logger, string stream, IPNetwork range);

    [LoggerMessage(EventId = 1605, Level = LogLevel.Debug, Message = "RTSP multicast: send to {Group} failed")]
    public static partial void SendFailed(this ILogger logger, IPEndPoint group, Exception exception);

    [LoggerMessage(EventId = 1606, Level = LogLevel.Information, Message = "RTSP multicast enabled: groups from {Range}, ttl {Ttl}")]
    public static partial void MulticastEnabled(this ILogger logger, IPNetwork range, int ttl);
}
