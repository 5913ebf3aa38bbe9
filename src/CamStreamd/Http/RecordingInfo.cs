namespace CamStreamd.Http;

/// <summary>The recorder of a stream as <c>GET /api/streams/{name}</c> reports it (<c>recording</c>).</summary>
/// <param name="Path">The directory of the stream's segments.</param>
/// <param name="Paused">True while recording is paused for lack of space.</param>
/// <param name="Segments">Segments started since the daemon started.</param>
/// <param name="FramesWritten">Access units written.</param>
/// <param name="BytesWritten">Bytes of the segments finished since start.</param>
/// <param name="DeletedForRetention">Segments deleted as older than <c>retentionSeconds</c>.</param>
/// <param name="DeletedForSpace">Segments deleted to keep <c>minFreeMegabytes</c> free.</param>
/// <param name="Failures">Write failures.</param>
/// <param name="LastError">The last failure, or null.</param>
/// <param name="Url">The list of segments.</param>
public sealed record RecordingInfo(string Path, bool Paused, long Segments, long FramesWritten, long BytesWritten, long DeletedForRetention, long DeletedForSpace, long Failures, string? LastError, string Url);
