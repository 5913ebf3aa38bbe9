namespace CamStreamd.Configuration;

/// <summary><c>streams[i].record</c>: fragmented MP4 segments on local storage, with retention.</summary>
/// <param name="Path"><c>path</c>: absolute directory; segments go to <c>{path}/{stream}/{UTC start}.mp4</c>.</param>
/// <param name="SegmentSeconds"><c>segmentSeconds</c>: length of one file, 1..86400 (cut at the first IDR after it).</param>
/// <param name="PartSeconds"><c>partSeconds</c>: length of one fragment (moof+mdat), 0.1..60; a killed daemon loses at most the part being written.</param>
/// <param name="RetentionSeconds"><c>retentionSeconds</c>: segments older than this are deleted; 0 keeps everything.</param>
/// <param name="MinFreeMegabytes"><c>minFreeMegabytes</c>: below this free space the oldest segments are deleted, and recording pauses when none is left.</param>
public sealed record RecordOptions(
    string Path = RecordOptions.DefaultPath,
    int SegmentSeconds = 60,
    double PartSeconds = 1,
    long RetentionSeconds = 0,
    long MinFreeMegabytes = 256)
{
    /// <summary>Where recordings go unless <c>path</c> says otherwise (the package creates it for the service user).</summary>
    public const string DefaultPath = "/var/lib/camstreamd/recordings";
}
