namespace CamStreamd.Publish;

/// <summary>
/// One publish target's state and totals, written by its <see cref="PublishTarget"/> and read by
/// the HTTP API and metrics. Lock-free: one interlocked operation each (the last error text
/// changes only on a failure).
/// </summary>
public sealed class PublishCounters
{
    private int _state = (int)PublishState.Stopped;
    private long _connectAttempts;
    private long _sessions;
    private long _failures;
    private long _framesSent;
    private long _bytesSent;
    private long _framesDroppedBefore;
    private Func<long>? _framesDroppedNow;
    private string? _lastError;

    /// <summary>Creates the counters of the target at <paramref name="url"/> (shown with its password masked).</summary>
    public PublishCounters(string url, string protocol, string transport)
    {
        Url = url;
        Protocol = protocol;
        Transport = transport;
    }

    /// <summary>The target's URL, password masked.</summary>
    public string Url { get; }

    /// <summary><c>rtsp</c>, <c>rtmp</c> or <c>srt</c>.</summary>
    public string Protocol { get; }

    /// <summary><c>tcp</c> or <c>udp</c> (RTSP); <c>tcp</c> for RTMP, <c>udp</c> for SRT.</summary>
    public string Transport { get; }

    /// <summary>The target's state now.</summary>
    public PublishState State => (PublishState)Volatile.Read(ref _state);

    /// <summary>Connection attempts since start.</summary>
    public long ConnectAttempts => Interlocked.Read(ref _connectAttempts);

    /// <summary>Sessions that started publishing.</summary>
    public long Sessions => Interlocked.Read(ref _sessions);

    /// <summary>Sessions beyond the first: reconnects after a lost or refused upstream.</summary>
    public long Reconnects => Math.Max(0, Sessions - 1);

    /// <summary>Attempts or sessions that failed.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Access units sent.</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Bytes written to the upstream (RTP with framing, or the container's bytes).</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Access units this target's queue dropped (it was full: everything up to the next IDR goes).</summary>
    public long FramesDropped => Interlocked.Read(ref _framesDroppedBefore) + (Volatile.Read(ref _framesDroppedNow)?.Invoke() ?? 0);

    /// <summary>Why the last attempt or session failed, or null.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    internal void SetState(PublishState state) => Volatile.Write(ref _state, (int)state);

    internal void AddConnectAttempt() => Interlocked.Increment(ref _connectAttempts);

    internal void AddSession() => Interlocked.Increment(ref _sessions);

    internal void AddFailure(string error)
    {
        Interlocked.Increment(ref _failures);
        Volatile.Write(ref _lastError, error);
    }

    internal void AddSent(long bytes)
    {
        Interlocked.Increment(ref _framesSent);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    /// <summary>Counts the drops of the session's queue live while it runs.</summary>
    internal void AttachQueue(Func<long> dropped) => Volatile.Write(ref _framesDroppedNow, dropped);

    /// <summary>Keeps the ended session's drops.</summary>
    internal void DetachQueue(long dropped)
    {
        Interlocked.Add(ref _framesDroppedBefore, dropped);
        Volatile.Write(ref _framesDroppedNow, null);
    }
}
