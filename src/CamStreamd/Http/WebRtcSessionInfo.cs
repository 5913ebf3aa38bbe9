namespace CamStreamd.Http;

/// <summary>One WebRTC session in <c>GET /api/webrtc</c>.</summary>
/// <param name="Id">The session id (the last segment of its WHEP URL).</param>
/// <param name="Stream">The stream played.</param>
/// <param name="State">new, connecting, playing (closed sessions are not listed).</param>
/// <param name="Peer">The browser's address (the nominated ICE pair's), or null before its first check.</param>
/// <param name="CreatedAt">When the offer was answered.</param>
/// <param name="PayloadType">The H.264 payload type agreed.</param>
/// <param name="BytesSent">SRTP bytes sent.</param>
/// <param name="PacketsSent">SRTP packets sent.</param>
/// <param name="FramesSent">Access units sent.</param>
/// <param name="FramesDropped">Access units skipped (slow session, waiting for an IDR).</param>
/// <param name="Nacks">NACK feedback packets received.</param>
/// <param name="PacketsResent">Packets resent for NACKs.</param>
/// <param name="Plis">PLIs received.</param>
/// <param name="Firs">FIRs received.</param>
/// <param name="RoundTripMs">Round-trip time from the browser's receiver reports, or null.</param>
/// <param name="HandshakeMs">DTLS handshake duration, or null before it completed.</param>
/// <param name="Srtp">The SRTP profile the handshake chose (AEAD_AES_128_GCM or AES_CM_128_HMAC_SHA1_80), or null before it completed.</param>
public sealed record WebRtcSessionInfo(
    string Id,
    string Stream,
    string State,
    string? Peer,
    DateTimeOffset CreatedAt,
    int PayloadType,
    long BytesSent,
    long PacketsSent,
    long FramesSent,
    long FramesDropped,
    long Nacks,
    long PacketsResent,
    long Plis,
    long Firs,
    double? RoundTripMs,
    double? HandshakeMs,
    string? Srtp);
