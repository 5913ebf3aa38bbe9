using CamStreamd.Media.H264;

namespace CamStreamd.Media;

/// <summary>
/// The meeting point of one stream: the encoder publishes access units, every viewer subscribes.
/// It keeps the current GOP (from the last IDR on) so a new subscriber starts on a keyframe at
/// once, learns SPS and PPS from keyframes for the stream's <see cref="Description"/>, and feeds
/// each subscriber through its own bounded queue. Publishing never blocks on a subscriber.
/// </summary>
public sealed class StreamHub : IAccessUnitSink, IDisposable
{
    /// <summary>Queue length given to each subscriber beyond the cached GOP it starts with.</summary>
    public const int DefaultSubscriberCapacity = 90;

    private readonly Lock _gate = new();
    private readonly AccessUnit[] _gop;
    private readonly IAccessUnitPreparer? _preparer;
    private HubSubscription[] _subscribers = [];
    private int _gopCount;
    private bool _gopValid;
    private bool _disposed;
    private StreamDescription? _description;

    /// <summary>Creates the hub of one stream.</summary>
    /// <param name="name">Stream name (the RTSP path).</param>
    /// <param name="width">Picture width advertised to viewers.</param>
    /// <param name="height">Picture height advertised to viewers.</param>
    /// <param name="fps">Nominal frame rate advertised to viewers.</param>
    /// <param name="maxFrameLength">Larger access units are dropped and counted (the ESP32-P4 module's max_frame_len).</param>
    /// <param name="maxGopFrames">Most frames of one GOP kept for new viewers.</param>
    /// <param name="preparer">Per-unit work before fan-out (the RTP packetizer), or null.</param>
    public StreamHub(string name, int width, int height, double fps, int maxFrameLength, int maxGopFrames, IAccessUnitPreparer? preparer)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxFrameLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxGopFrames);
        Name = name;
        Width = width;
        Height = height;
        Fps = fps;
        MaxFrameLength = maxFrameLength;
        _gop = new AccessUnit[maxGopFrames];
        _preparer = preparer;
    }

    /// <summary>Raised (on the caller's thread) when a viewer needs a keyframe soon.</summary>
    public event Action? KeyframeRequested;

    /// <summary>
    /// Raised (on the publishing thread) after a unit was offered to every subscriber: the stream's
    /// RTSP fan-out and WebRTC feed serve their queues right there instead of waking a thread.
    /// </summary>
    public event Action? UnitsOffered;

    /// <summary>
    /// Raised once, on the disposing thread, after every subscription completed: a reader that
    /// polls its queue (<see cref="HubSubscription.ReaderPolls"/>) and waits on nothing else learns here that the stream ended.
    /// </summary>
    public event Action? Stopped;

    /// <summary>The stream's name.</summary>
    public string Name { get; }

    /// <summary>Picture width.</summary>
    public int Width { get; }

    /// <summary>Picture height.</summary>
    public int Height { get; }

    /// <summary>Nominal frame rate.</summary>
    public double Fps { get; }

    /// <summary>Largest access unit accepted, in bytes.</summary>
    public int MaxFrameLength { get; }

    /// <summary>Size, rate and parameter sets, once the first keyframe with SPS and PPS has passed.</summary>
    public StreamDescription? Description => Volatile.Read(ref _description);

    /// <summary>The stream's running totals (shared with the pipeline and every output).</summary>
    public StreamCounters Counters { get; } = new();

    /// <summary>Access units accepted since start.</summary>
    public long FramesPublished => Counters.FramesEncoded;

    /// <summary>Access units dropped for exceeding <see cref="MaxFrameLength"/>.</summary>
    public long FramesOversize => Counters.Dropped(DropReason.Oversize);

    /// <summary>Annex-B bytes accepted since start.</summary>
    public long BytesPublished => Counters.BytesEncoded;

    /// <summary>The per-unit preparer given at creation (the stream's RTP packetizer), or null.</summary>
    public IAccessUnitPreparer? Preparer => _preparer;

    /// <summary>Current number of subscribers.</summary>
    public int SubscriberCount => Volatile.Read(ref _subscribers).Length;

    /// <summary>Asks the encoder for an IDR as soon as it can.</summary>
    public void RequestKeyframe() => KeyframeRequested?.Invoke();

    /// <inheritdoc />
    public void Publish(AccessUnit unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        if (unit.Length > MaxFrameLength)
        {
            Counters.AddDropped(DropReason.Oversize);
            unit.Release();
            return;
        }

        if (unit.IsKeyframe)
        {
            LearnParameterSets(unit);
        }

        _preparer?.Prepare(unit);
        HubSubscription[] subscribers;
        lock (_gate)
        {
            if (_disposed)
            {
                unit.Release();
                return;
            }

            CacheLocked(unit);
            subscribers = _subscribers;
        }

        Counters.AddEncoded(unit.Length);
        foreach (var subscriber in subscribers)
        {
            subscriber.Offer(unit);
        }

        UnitsOffered?.Invoke();
        unit.Release();
    }

    /// <summary>
    /// Adds a subscriber. Its queue starts with the cached GOP (keyframe first), so it can decode
    /// at once; with no usable cache it waits for the next keyframe, which is requested.
    /// </summary>
    public HubSubscription Subscribe(int capacity = DefaultSubscriberCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        bool needKeyframe;
        HubSubscription subscription;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            subscription = new HubSubscription(this, capacity + _gop.Length);
            needKeyframe = !_gopValid || _gopCount == 0;
            if (needKeyframe)
            {
                subscription.SkipToKeyframe();
            }
            else
            {
                for (var i = 0; i < _gopCount; i++)
                {
                    subscription.Offer(_gop[i]);
                }
            }

            _subscribers = [.. _subscribers, subscription];
        }

        if (needKeyframe)
        {
            RequestKeyframe();
        }

        return subscription;
    }

    /// <summary>Ends every subscription and releases the cached GOP.</summary>
    public void Dispose()
    {
        HubSubscription[] subscribers;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            ClearGopLocked();
            subscribers = _subscribers;
            _subscribers = [];
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Complete();
        }

        Stopped?.Invoke();
    }

    internal void Unsubscribe(HubSubscription subscription)
    {
        lock (_gate)
        {
            var index = Array.IndexOf(_subscribers, subscription);
            if (index >= 0)
            {
                _subscribers = [.. _subscribers[..index], .. _subscribers[(index + 1)..]];
            }
        }
    }

    private void CacheLocked(AccessUnit unit)
    {
        if (unit.IsKeyframe)
        {
            ClearGopLocked();
            _gopValid = true;
        }

        if (!_gopValid)
        {
            return;
        }

        if (_gopCount == _gop.Length)
        {
            // A GOP longer than the cache: a joiner could not decode a partial one, so joiners
            // wait for the next keyframe instead.
            ClearGopLocked();
            return;
        }

        _gop[_gopCount++] = unit.Retain();
    }

    private void ClearGopLocked()
    {
        for (var i = 0; i < _gopCount; i++)
        {
            _gop[i].Release();
            _gop[i] = null!;
        }

        _gopCount = 0;
        _gopValid = false;
    }

    private void LearnParameterSets(AccessUnit unit)
    {
        ReadOnlySpan<byte> sps = default;
        ReadOnlySpan<byte> pps = default;
        var reader = new AnnexBReader(unit.AnnexB);
        while (reader.TryReadNext(out var nal))
        {
            switch (AnnexBReader.NalType(nal))
            {
                case NalUnitType.Sps:
                    sps = nal;
                    break;
                case NalUnitType.Pps:
                    pps = nal;
                    break;
            }
        }

        var current = Description;
        if (sps.IsEmpty || pps.IsEmpty
            || (current is not null && sps.SequenceEqual(current.Sps) && pps.SequenceEqual(current.Pps)))
        {
            return;
        }

        Volatile.Write(ref _description, new StreamDescription(Width, Height, Fps, sps.ToArray(), pps.ToArray()));
    }
}
