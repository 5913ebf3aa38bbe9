namespace CamStreamd.Recording;

/// <summary>The recorder's totals, written by its loop and read by the API and metrics.</summary>
public sealed class RecorderCounters
{
    private long _segments;
    private long _framesWritten;
    private long _bytesIn;
    private long _bytesWritten;
    private long _deletedRetention;
    private long _deletedSpace;
    private long _failures;
    private int _paused;
    private string? _lastError;

    /// <summary>Segments started.</summary>
    public long Segments => Interlocked.Read(ref _segments);

    /// <summary>Access units written.</summary>
    public long FramesWritten => Interlocked.Read(ref _framesWritten);

    /// <summary>Annex-B bytes of those access units (what the encoder made).</summary>
    public long BytesIn => Interlocked.Read(ref _bytesIn);

    /// <summary>Bytes of the finished segments plus the current one's size when it was last measured.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>Segments deleted because they were older than <c>retentionSeconds</c>.</summary>
    public long DeletedForRetention => Interlocked.Read(ref _deletedRetention);

    /// <summary>Segments deleted because free space fell below <c>minFreeMegabytes</c>.</summary>
    public long DeletedForSpace => Interlocked.Read(ref _deletedSpace);

    /// <summary>Segments that failed (disk error); recording retried at a later keyframe.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>True while recording is paused for lack of space.</summary>
    public bool Paused => Volatile.Read(ref _paused) != 0;

    /// <summary>The last failure, or null.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    internal void AddSegment() => Interlocked.Increment(ref _segments);

    internal void AddFrame(int bytes)
    {
        Interlocked.Increment(ref _framesWritten);
        Interlocked.Add(ref _bytesIn, bytes);
    }

    internal void AddBytesWritten(long bytes) => Interlocked.Add(ref _bytesWritten, bytes);

    internal void AddDeleted(bool forSpace) => Interlocked.Increment(ref forSpace ? ref _deletedSpace : ref _deletedRetention);

    internal void AddFailure(string error)
    {
        Interlocked.Increment(ref _failures);
        Volatile.Write(ref _lastError, error);
    }

    internal void SetPaused(bool paused) => Volatile.Write(ref _paused, paused ? 1 : 0);
}
