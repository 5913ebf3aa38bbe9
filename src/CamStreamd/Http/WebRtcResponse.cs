namespace CamStreamd.Http;

/// <summary><c>GET /api/webrtc</c>: the UDP port, its drop counters and every live session.</summary>
/// <param name="Enabled">webrtc.enabled.</param>
/// <param name="Port">The bound UDP port, or null (disabled, or the bind failed).</param>
/// <param name="Candidates">Host candidate addresses put in answers.</param>
/// <param name="SessionsEnded">Sessions ended since start.</param>
/// <param name="Datagrams">Datagrams received on the port.</param>
/// <param name="Dropped">Dropped datagrams by reason: malformedStun, unauthenticated, unknownUfrag, badIntegrity, unknownSource, unknownKind.</param>
/// <param name="Sessions">The live sessions.</param>
public sealed record WebRtcResponse(
    bool Enabled,
    int? Port,
    IReadOnlyList<string> Candidates,
    long SessionsEnded,
    long Datagrams,
    IReadOnlyDictionary<string, long> Dropped,
    IReadOnlyList<WebRtcSessionInfo> Sessions);
