using System.Net;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>Source-generated log messages of the RTSP server (event ids 1000–1999, stable).</summary>
internal static partial class RtspLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "RTSP listening on {Url}")]
    public static partial void Listening(this ILogger logger, string url);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "RTSP connection {ConnectionId} from {Remote}")]
    public static partial void ConnectionAccepted(this ILogger logger, long connectionId, EndPoint? remote);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "RTSP connection {ConnectionId} closed")]
    public static partial void ConnectionClosed(this ILogger logger, long connectionId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "RTSP connection from {Remote} refused with 503: {Limit} connections already open ({Count} refused since the last such line)")]
    public static partial void ConnectionRefused(this ILogger logger, EndPoint? remote, int limit, long count);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "RTSP connection {ConnectionId}: bad request ({Kind}); {Action}")]
    public static partial void BadRequest(this ILogger logger, long connectionId, string kind, string action);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "RTSP connection {ConnectionId}: {Method} {Uri} → {Status}")]
    public static partial void Request(this ILogger logger, long connectionId, string method, string uri, int status);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "RTSP session {SessionId} for {Stream} set up over {Transport}")]
    public static partial void SessionCreated(this ILogger logger, string sessionId, string stream, string transport);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information, Message = "RTSP session {SessionId} playing {Stream}")]
    public static partial void SessionPlaying(this ILogger logger, string sessionId, string stream);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "RTSP session {SessionId} ended ({Reason}); frames sent {Sent}, dropped {Dropped}")]
    public static partial void SessionEnded(this ILogger logger, string sessionId, string reason, long sent, long dropped);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "RTSP connection {ConnectionId} ({Remote}): no send progress for {Seconds} s, disconnecting slow client")]
    public static partial void SlowClient(this ILogger logger, long connectionId, EndPoint? remote, double seconds);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "RTSP connection {ConnectionId}: I/O ended")]
    public static partial void ConnectionIoEnded(this ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Error, Message = "RTSP connection {ConnectionId}: request handler failed")]
    public static partial void HandlerFailed(this ILogger logger, long connectionId, Exception exception);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Debug, Message = "RTSP session {SessionId}: send loop ended")]
    public static partial void SendLoopEnded(this ILogger logger, string sessionId, Exception exception);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Information, Message = "RTSP server stopped")]
    public static partial void Stopped(this ILogger logger);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Warning, Message = "RTSP server did not stop within {Seconds} s")]
    public static partial void StopTimedOut(this ILogger logger, double seconds);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Error, Message = "RTSP accept loop failed")]
    public static partial void AcceptFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Warning, Message = "RTSP connection {ConnectionId} ({Remote}): no complete request within {Seconds} s, closing")]
    public static partial void FirstRequestTimedOut(this ILogger logger, long connectionId, EndPoint? remote, double seconds);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Warning, Message = "Stream {Stream}: {Count} frames larger than maxFrameLength {MaxFrameLength} bytes dropped in the last {Seconds:F0} s")]
    public static partial void OversizeFramesDropped(this ILogger logger, string stream, long count, int maxFrameLength, double seconds);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Warning, Message = "RTSP connection from {Remote} closed unanswered: {Limit} connections open and the 503 backlog is full ({Count} closed since the last such line)")]
    public static partial void ConnectionDropped(this ILogger logger, EndPoint? remote, int limit, long count);

    [LoggerMessage(EventId = 1019, Level = LogLevel.Information, Message = "RTSP connection {ConnectionId} ({Remote}): no session and no complete request for {Seconds} s, closing idle connection")]
    public static partial void IdleConnectionClosed(this ILogger logger, long connectionId, EndPoint? remote, double seconds);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "RTSP connection {ConnectionId} ({Remote}): a request or interleaved frame begun was not completed within {Seconds} s, closing")]
    public static partial void PartialMessageTimedOut(this ILogger logger, long connectionId, EndPoint? remote, double seconds);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Debug, Message = "RTSP connection {ConnectionId} ({Remote}) evicted: it held no session and the connection table needed room")]
    public static partial void ConnectionEvicted(this ILogger logger, long connectionId, EndPoint? remote);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Debug, Message = "RTSP connection {ConnectionId}: write failed (errno {Errno}), closing")]
    public static partial void DirectWriteFailed(this ILogger logger, long connectionId, int errno);

    [LoggerMessage(EventId = 1023, Level = LogLevel.Debug, Message = "RTSP session {SessionId}: the socket took part of a frame; the rest and what follows go out as the socket drains")]
    public static partial void SessionSendBacklogged(this ILogger logger, string sessionId);

    [LoggerMessage(EventId = 1024, Level = LogLevel.Error, Message = "Stream {Stream}: sending to one RTSP viewer failed; the others go on")]
    public static partial void FanoutViewerFailed(this ILogger logger, Exception exception, string stream);

    [LoggerMessage(EventId = 1025, Level = LogLevel.Error, Message = "Stream {Stream}: the RTSP fan-out loop failed; it starts again with the next viewer")]
    public static partial void FanoutLoopFailed(this ILogger logger, Exception exception, string stream);

    [LoggerMessage(EventId = 1026, Level = LogLevel.Information, Message = "RTSP UDP port {Port}: the kernel refused UDP segmentation offload ({Errno}); RTP goes one datagram per message from now on")]
    public static partial void UdpSegmentationRefused(this ILogger logger, int port, string errno);
}
