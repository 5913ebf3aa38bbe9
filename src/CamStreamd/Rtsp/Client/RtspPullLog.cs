using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp.Client;

/// <summary>Log messages of the RTSP pull client (event ids 3300–3319).</summary>
internal static partial class RtspPullLog
{
    [LoggerMessage(EventId = 3300, Level = LogLevel.Information, Message = "Stream {Stream}: pulling {Url} over {Transport}: playing (session {Session}, timeout {TimeoutSeconds} s, keepalive {Keepalive})")]
    public static partial void Playing(ILogger logger, string stream, string url, string transport, string session, int timeoutSeconds, string keepalive);

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "Stream {Stream}: {Url} redirects to {Location}")]
    public static partial void Redirected(ILogger logger, string stream, string url, string location);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Debug, Message = "Stream {Stream}: TEARDOWN of {Url} failed: {Reason}")]
    public static partial void TeardownFailed(ILogger logger, string stream, string url, string reason);

    [LoggerMessage(EventId = 3303, Level = LogLevel.Debug, Message = "Stream {Stream}: SDP of {Url}:\n{Sdp}")]
    public static partial void Described(ILogger logger, string stream, string url, string sdp);

    [LoggerMessage(EventId = 3304, Level = LogLevel.Debug, Message = "Stream {Stream}: waiting for an IDR; sent a picture loss indication upstream")]
    public static partial void KeyframeRequested(ILogger logger, string stream);
}
