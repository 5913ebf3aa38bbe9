using Microsoft.Extensions.Logging;

namespace CamStreamd.WebRtc.Plane;

/// <summary>The WebRTC plane's log messages (event ids 9000–9049: port, ICE, WHEP sessions).</summary>
internal static partial class WebRtcLog
{
    [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message = "WebRTC: UDP port {Port} ({Family}); host candidates {Candidates}; SRTP AES-GCM seals through {Sealer}")]
    public static partial void Listening(ILogger logger, int port, string family, string candidates, string sealer);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Error, Message = "WebRTC: cannot bind UDP port {Port} (webrtc.port): {Reason}; WHEP answers 503, everything else is served")]
    public static partial void BindFailed(ILogger logger, int port, string reason);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Warning, Message = "WebRTC: a datagram could not be handled")]
    public static partial void DatagramFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "WebRTC: DTLS certificate made for this run by the first offer (ECDSA P-256, {Milliseconds} ms): sha-256 {Fingerprint}")]
    public static partial void CertificateMade(ILogger logger, long milliseconds, string fingerprint);

    [LoggerMessage(EventId = 9010, Level = LogLevel.Information, Message = "Stream {Stream}: WebRTC session {Session} from {Remote} created (payload type {PayloadType}, profile-level-id {Profile})")]
    public static partial void SessionCreated(ILogger logger, string stream, string session, string remote, int payloadType, string profile);

    [LoggerMessage(EventId = 9011, Level = LogLevel.Information, Message = "Stream {Stream}: WebRTC session {Session} playing to {Peer} ({Milliseconds} ms after the offer, SRTP {SrtpProfile})")]
    public static partial void SessionPlaying(ILogger logger, string stream, string session, string? peer, long milliseconds, string srtpProfile);

    [LoggerMessage(EventId = 9012, Level = LogLevel.Information, Message = "Stream {Stream}: WebRTC session {Session} ended: {Reason}")]
    public static partial void SessionEnded(ILogger logger, string stream, string session, string reason);

    [LoggerMessage(EventId = 9013, Level = LogLevel.Information, Message = "Stream {Stream}: WHEP offer from {Remote} refused: {Reason}")]
    public static partial void OfferRefused(ILogger logger, string stream, string? remote, string reason);

    [LoggerMessage(EventId = 9014, Level = LogLevel.Information, Message = "WebRTC port: the kernel refused UDP segmentation offload ({Errno}); media goes one datagram per message from now on")]
    public static partial void SegmentationRefused(ILogger logger, string errno);
}
