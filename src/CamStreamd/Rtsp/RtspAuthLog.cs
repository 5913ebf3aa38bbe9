using System.Net;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>Source-generated log messages of RTSP authentication (event ids 1500–1599, stable).</summary>
internal static partial class RtspAuthLog
{
    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "RTSP authentication: {Mode}, realm \"{Realm}\", {Users} user(s)")]
    public static partial void AuthEnabled(this ILogger logger, RtspAuthMode mode, string realm, int users);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "RTSP authentication failed for user \"{User}\" from {Remote}: {Reason} ({Method} {Uri}); {Suppressed} more failure(s) since the last such line")]
    public static partial void AuthFailed(this ILogger logger, string user, IPAddress remote, string reason, string method, string uri, long suppressed);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Debug, Message = "RTSP authentication: stale nonce from {Remote} (user \"{User}\"), challenging again")]
    public static partial void StaleNonce(this ILogger logger, IPAddress remote, string user);
}
