using System.Diagnostics;

namespace CamStreamd.Media;

/// <summary>
/// One stream's running totals, written by every part that touches the stream (source, encoder,
/// hub, each output) and read by the HTTP API and metrics. Lock-free: every member is one
/// interlocked operation, so writers on the hot path never wait and never allocate.
/// </summary>
public sealed class StreamCounters
{
    private static readonly int DropReasonCount = Enum.GetValues<DropReason>().Length;
    private static readonly int ViewerProtocolCount = Enum.GetValues<ViewerProtocol>().Length;

    private readonly long[] _drops = new long[DropReasonCount];
    private readonly int[] _viewers = new int[ViewerProtocolCount];
    private long _framesCaptured;
    private long _framesEncoded;
    private long _bytesEncoded;
    private long _framesSent;
    private long _bytesSent;
    private long _encoderFailures;
    private long _sourceFailures;
    private long _rtcpPacketsLost;
    private long _rtcpJitterMicroseconds;
    private long _lastFrameTimestamp;

    /// <summary>The upstream connection's totals and state when the stream pulls from an RTSP server, else null (set once, before the pipeline starts).</summary>
    public UpstreamCounters? Upstream { get; set; }

    /// <summary>The inputs of a composite stream, else null.</summary>
    public IReadOnlyList<CompositeInputCounters>? CompositeInputs { get; set; }

    /// <summary>Frames taken from the source.</summary>
    public long FramesCaptured => Interlocked.Read(ref _framesCaptured);

    /// <summary>Access units the encoder (or passthrough) published into the hub.</summary>
    public long FramesEncoded => Interlocked.Read(ref _framesEncoded);

    /// <summary>Annex-B bytes published into the hub.</summary>
    public long BytesEncoded => Interlocked.Read(ref _bytesEncoded);

    /// <summary>Frames sent to viewers, summed over viewers.</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    /// <summary>Bytes sent to viewers (RTP and framing included), summed over viewers.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Times the encoder failed (and was reopened).</summary>
    public long EncoderFailures => Interlocked.Read(ref _encoderFailures);

    /// <summary>Times the source failed (and was reopened).</summary>
    public long SourceFailures => Interlocked.Read(ref _sourceFailures);

    /// <summary>Sum of the latest cumulative loss each RTCP receiver report gave, over the stream's sessions.</summary>
    public long RtcpPacketsLost => Interlocked.Read(ref _rtcpPacketsLost);

    /// <summary>Latest interarrival jitter any receiver reported, in microseconds.</summary>
    public long RtcpJitterMicroseconds => Interlocked.Read(ref _rtcpJitterMicroseconds);

    /// <summary>Monotonic time (<see cref="Stopwatch.GetTimestamp"/>) of the last captured frame; 0 before the first.</summary>
    public long LastFrameTimestamp => Interlocked.Read(ref _lastFrameTimestamp);

    /// <summary>Frames dropped for <paramref name="reason"/>.</summary>
    public long Dropped(DropReason reason) => Interlocked.Read(ref _drops[(int)reason]);

    /// <summary>Viewers currently watching over <paramref name="protocol"/>.</summary>
    public int Viewers(ViewerProtocol protocol) => Volatile.Read(ref _viewers[(int)protocol]);

    /// <summary>Viewers currently watching, over every protocol.</summary>
    public int TotalViewers
    {
        get
        {
            var total = 0;
            for (var i = 0; i < _viewers.Length; i++)
            {
                total += Volatile.Read(ref _viewers[i]);
            }

            return total;
        }
    }

    /// <summary>Counts a frame taken from the source, now.</summary>
    public void AddCaptured()
    {
        Interlocked.Increment(ref _framesCaptured);
        Interlocked.Exchange(ref _lastFrameTimestamp, Stopwatch.GetTimestamp());
    }

    /// <summary>Counts an access unit of <paramref name="bytes"/> published into the hub.</summary>
    public void AddEncoded(int bytes)
    {
        Interlocked.Increment(ref _framesEncoded);
        Interlocked.Add(ref _bytesEncoded, bytes);
    }

    /// <summary>Counts one frame of <paramref name="bytes"/> sent to one viewer.</summary>
    public void AddSent(long bytes)
    {
        Interlocked.Increment(ref _framesSent);
        Interlocked.Add(ref _bytesSent, bytes);
    }

    /// <summary>Counts <paramref name="frames"/> frames dropped for <paramref name="reason"/>.</summary>
    public void AddDropped(DropReason reason, long frames = 1) => Interlocked.Add(ref _drops[(int)reason], frames);

    /// <summary>Counts an encoder failure.</summary>
    public void AddEncoderFailure() => Interlocked.Increment(ref _encoderFailures);

    /// <summary>Counts a source failure.</summary>
    public void AddSourceFailure() => Interlocked.Increment(ref _sourceFailures);

    /// <summary>A viewer started watching over <paramref name="protocol"/>; dispose the result when it stops.</summary>
    public ViewerLease AddViewer(ViewerProtocol protocol)
    {
        Interlocked.Increment(ref _viewers[(int)protocol]);
        return new ViewerLease(this, protocol);
    }

    /// <summary>
    /// Adds the change in one session's cumulative RTCP loss (RFC 3550 §6.4.1 "cumulative number
    /// of packets lost"): pass the new value minus the one that session reported before.
    /// </summary>
    public void AddRtcpLoss(long lostDelta) => Interlocked.Add(ref _rtcpPacketsLost, lostDelta);

    /// <summary>Records the latest reported interarrival jitter.</summary>
    public void SetRtcpJitter(long microseconds) => Interlocked.Exchange(ref _rtcpJitterMicroseconds, microseconds);

    internal void RemoveViewer(ViewerProtocol protocol) => Interlocked.Decrement(ref _viewers[(int)protocol]);
}
