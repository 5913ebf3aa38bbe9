namespace CamStreamd.Http;

/// <summary>One segment in <c>GET /api/streams/{name}/recordings</c>.</summary>
/// <param name="File">The file name (UTC start, <c>yyyy-MM-ddTHH-mm-ss.mp4</c>).</param>
/// <param name="Start">When it starts (UTC).</param>
/// <param name="DurationSeconds">From its start to its last written part.</param>
/// <param name="Size">Bytes.</param>
/// <param name="Url">Where to download it (Range supported).</param>
/// <param name="Recording">True for the segment being written now.</param>
public sealed record RecordingEntry(string File, DateTimeOffset Start, double DurationSeconds, long Size, string Url, bool Recording);
