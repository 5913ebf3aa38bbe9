namespace CamStreamd.Http;

/// <summary>A pulled stream's connection to its upstream RTSP server (<c>upstream</c> in the stream's JSON; absent for other sources).</summary>
/// <param name="State"><c>connecting</c>, <c>playing</c>, <c>retrying</c> or <c>stopped</c>.</param>
/// <param name="Transport"><c>tcp</c> or <c>udp</c> once a session played, else null.</param>
/// <param name="ConnectAttempts">Attempts since the stream was created (the first and every retry).</param>
/// <param name="Sessions">Sessions that reached PLAY.</param>
/// <param name="Reconnects">Sessions that reached PLAY after the first.</param>
/// <param name="Failures">Attempts or sessions that failed.</param>
/// <param name="LastError">Why the last one failed, or null.</param>
/// <param name="PacketsReceived">RTP packets received.</param>
/// <param name="PacketsLost">RTP packets missing (after reordering).</param>
/// <param name="BytesReceived">RTP bytes received.</param>
/// <param name="AccessUnits">Access units reassembled.</param>
/// <param name="AccessUnitsDropped">Access units dropped (damaged by loss, waiting for an IDR, queue full).</param>
/// <param name="Keepalives">Keepalive requests sent.</param>
/// <param name="ReceiverReports">RTCP receiver reports sent.</param>
/// <param name="KeyframeRequests">RTCP picture loss indications sent (asking for an IDR while waiting for one).</param>
public sealed record UpstreamInfo(
    string State,
    string? Transport,
    long ConnectAttempts,
    long Sessions,
    long Reconnects,
    long Failures,
    string? LastError,
    long PacketsReceived,
    long PacketsLost,
    long BytesReceived,
    long AccessUnits,
    long AccessUnitsDropped,
    long Keepalives,
    long ReceiverReports,
    long KeyframeRequests);
