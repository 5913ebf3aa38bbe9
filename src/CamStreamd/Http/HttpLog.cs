using Microsoft.Extensions.Logging;

namespace CamStreamd.Http;

/// <summary>The HTTP server's log messages (event ids 5000–5999).</summary>
internal static partial class HttpLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "HTTP listening on {Url}")]
    public static partial void Listening(this ILogger logger, string url);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "HTTP API: stream {Stream} {Action} (runtime only, not written to the config file)")]
    public static partial void StreamChanged(this ILogger logger, string stream, string action);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "HTTP API: {Method} {Path} from {Remote} refused: missing or wrong bearer token")]
    public static partial void Unauthorized(this ILogger logger, string method, string path, string? remote);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Stream {Stream}: MJPEG producer started ({Fps} fps, quality {Quality})")]
    public static partial void MjpegStarted(this ILogger logger, string stream, double fps, int quality);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Stream {Stream}: MJPEG producer stopped after {Pictures} pictures (no viewers)")]
    public static partial void MjpegStopped(this ILogger logger, string stream, long pictures);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "Stream {Stream}: JPEG encoding failed ({Failures} so far)")]
    public static partial void MjpegEncodeFailed(this ILogger logger, string stream, long failures, Exception exception);

    [LoggerMessage(EventId = 5013, Level = LogLevel.Debug, Message = "Stream {Stream}: MJPEG viewer {Remote} joined")]
    public static partial void MjpegViewerJoined(this ILogger logger, string stream, string? remote);

    [LoggerMessage(EventId = 5014, Level = LogLevel.Debug, Message = "Stream {Stream}: MJPEG viewer {Remote} left after {Pictures} pictures ({Skipped} skipped)")]
    public static partial void MjpegViewerLeft(this ILogger logger, string stream, string? remote, long pictures, long skipped);

    [LoggerMessage(EventId = 5016, Level = LogLevel.Information, Message = "Stream {Stream}: MJPEG viewer {Remote} took no data for {Seconds} s; disconnected")]
    public static partial void MjpegViewerStalled(this ILogger logger, string stream, string? remote, double seconds);

    [LoggerMessage(EventId = 5015, Level = LogLevel.Warning, Message = "Stream {Stream}: frames in {Format} cannot be shown as MJPEG (no decoder); MJPEG viewers get nothing")]
    public static partial void MjpegUnsupportedFormat(this ILogger logger, string stream, string format);
}
