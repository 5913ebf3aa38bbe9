namespace CamStreamd.Http;

/// <summary>One publish target as <c>GET /api/streams/{name}</c> reports it (<c>publish[]</c>).</summary>
/// <param name="Url">The target's URL, password masked.</param>
/// <param name="Protocol"><c>rtsp</c>, <c>rtmp</c> or <c>srt</c>.</param>
/// <param name="Transport"><c>tcp</c> or <c>udp</c>.</param>
/// <param name="State"><c>waiting</c> (for the first keyframe), <c>connecting</c>, <c>publishing</c>, <c>retrying</c> or <c>stopped</c>.</param>
/// <param name="ConnectAttempts">Connection attempts since start.</param>
/// <param name="Sessions">Sessions that started publishing.</param>
/// <param name="Reconnects">Sessions after the first.</param>
/// <param name="Failures">Attempts or sessions that failed.</param>
/// <param name="LastError">Why the last one failed, or null.</param>
/// <param name="FramesSent">Access units sent.</param>
/// <param name="BytesSent">Bytes written to the upstream.</param>
/// <param name="FramesDropped">Access units the target's queue dropped (a slow upstream; up to the next IDR each time).</param>
public sealed record PublishTargetInfo(
    string Url,
    string Protocol,
    string Transport,
    string State,
    long ConnectAttempts,
    long Sessions,
    long Reconnects,
    long Failures,
    string? LastError,
    long FramesSent,
    long BytesSent,
    long FramesDropped);
