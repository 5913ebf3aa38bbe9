namespace CamStreamd.Http;

/// <summary><c>GET /api/streams/{name}/recordings</c>: the stream's segments, oldest first, and the recorder's state.</summary>
/// <param name="Stream">The stream.</param>
/// <param name="Path">The directory the segments are in.</param>
/// <param name="Paused">True while recording is paused for lack of space.</param>
/// <param name="Segments">The segments.</param>
public sealed record RecordingListResponse(string Stream, string Path, bool Paused, IReadOnlyList<RecordingEntry> Segments);
