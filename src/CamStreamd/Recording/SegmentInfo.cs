namespace CamStreamd.Recording;

/// <summary>One recorded segment file.</summary>
/// <param name="File">The file name (<c>yyyy-MM-ddTHH-mm-ss.mp4</c>, UTC start).</param>
/// <param name="Path">The full path.</param>
/// <param name="Start">When its first frame was recorded (UTC, from the name).</param>
/// <param name="Duration">From its start to its last write (the last part flushed).</param>
/// <param name="Size">Bytes on disk.</param>
/// <param name="Recording">True for the segment being written now.</param>
public sealed record SegmentInfo(string File, string Path, DateTimeOffset Start, TimeSpan Duration, long Size, bool Recording);
