namespace CamStreamd.Http;

/// <summary>A stream's running totals since it was created.</summary>
/// <param name="Captured">Frames taken from the source.</param>
/// <param name="Encoded">Access units published into the hub.</param>
/// <param name="Sent">Frames sent to viewers, summed over viewers.</param>
/// <param name="BytesEncoded">Annex-B bytes published.</param>
/// <param name="BytesSent">Bytes sent to viewers, summed over viewers.</param>
/// <param name="SourceFailures">Times the source failed and was reopened.</param>
/// <param name="RtcpPacketsLost">Loss the RTCP receivers reported.</param>
/// <param name="RtcpJitterMs">Latest interarrival jitter an RTCP receiver reported, in milliseconds.</param>
public sealed record FrameTotalsInfo(long Captured, long Encoded, long Sent, long BytesEncoded, long BytesSent, long SourceFailures, long RtcpPacketsLost, double RtcpJitterMs);
