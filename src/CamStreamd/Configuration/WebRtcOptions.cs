namespace CamStreamd.Configuration;

/// <summary><c>webrtc</c>: WHEP playback in browsers (ICE-lite, DTLS-SRTP on one UDP port).</summary>
/// <param name="Enabled"><c>webrtc.enabled</c>: serve <c>/streams/{name}/whep</c> and the UDP port.</param>
/// <param name="Port"><c>webrtc.port</c>: the one UDP port of every WebRTC session, 0..65535; 0 picks a free port (tests).</param>
/// <param name="AdditionalHosts">
/// <c>webrtc.additionalHosts</c>: addresses put in the answer as host candidates besides the
/// interfaces' own (a NAT's public address, a Docker host's address), IP literals.
/// </param>
/// <param name="MaxSessions"><c>webrtc.maxSessions</c>: most WebRTC sessions at once, 1..1000; more get 503.</param>
/// <param name="AllowOrigins"><c>webrtc.allowOrigins</c>: origins whose pages may use WHEP (CORS); <c>*</c> allows any.</param>
public sealed record WebRtcOptions(
    bool Enabled = true,
    int Port = 8189,
    IReadOnlyList<string>? AdditionalHosts = null,
    int MaxSessions = 32,
    IReadOnlyList<string>? AllowOrigins = null)
{
    /// <summary><c>webrtc.additionalHosts</c>: extra host candidate addresses.</summary>
    public IReadOnlyList<string> AdditionalHosts { get; init; } = AdditionalHosts ?? [];

    /// <summary><c>webrtc.allowOrigins</c>: origins allowed by CORS; default <c>*</c>.</summary>
    public IReadOnlyList<string> AllowOrigins { get; init; } = AllowOrigins ?? ["*"];
}
