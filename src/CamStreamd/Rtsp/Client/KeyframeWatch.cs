using CamStreamd.Rtp;

namespace CamStreamd.Rtsp.Client;

/// <summary>
/// Whether a pull session wants an IDR from its upstream (the depacketizer waits for one at the
/// start and after loss, or a viewer of the relay asked) and whether the supervising loop already
/// keeps a keyframe-request deadline for it. While it does not, the packet path wakes the loop the
/// moment the depacketizer starts waiting, so the PLI goes out at once without a polling tick.
/// </summary>
internal sealed class KeyframeWatch
{
    private readonly H264RtpReceiver _receiver;
    private readonly UpstreamKeyframeRequest? _viewerRequest;
    private readonly SupervisorWake _wake;

    // 1 while the loop keeps a keyframe-request deadline (packets then need not wake it).
    private int _watched;

    /// <summary>Creates the watch of <paramref name="receiver"/> and <paramref name="viewerRequest"/>, waking through <paramref name="wake"/>.</summary>
    public KeyframeWatch(H264RtpReceiver receiver, UpstreamKeyframeRequest? viewerRequest, SupervisorWake wake)
    {
        _receiver = receiver;
        _viewerRequest = viewerRequest;
        _wake = wake;
    }

    /// <summary>True while an IDR is wanted: the depacketizer waits for one, or a viewer asked.</summary>
    public bool IsWanted => _receiver.IsWaitingForKeyframe || (_viewerRequest?.IsSet ?? false);

    /// <summary>
    /// For the loop: true when an IDR is wanted and can be asked for (the media's SSRC is known),
    /// and the loop keeps a keyframe-request deadline; false hands the watching to the packet path.
    /// </summary>
    public bool Watch()
    {
        var canAsk = CanAsk;
        Interlocked.Exchange(ref _watched, canAsk ? 1 : 0);

        // Published, then looked at again: a packet that started the wait in between either saw
        // the flag clear (and woke the loop) or is seen here.
        if (!canAsk && CanAsk)
        {
            Interlocked.Exchange(ref _watched, 1);
            canAsk = true;
        }

        return canAsk;
    }

    /// <summary>After each RTP packet (TCP or UDP, on the receiving thread): wakes the loop when an IDR became wanted unwatched.</summary>
    public void OnRtpPacket()
    {
        if (_receiver.IsWaitingForKeyframe && Volatile.Read(ref _watched) == 0 && Interlocked.Exchange(ref _watched, 1) == 0)
        {
            _wake.Wake();
        }
    }

    private bool CanAsk => IsWanted && _receiver.SourceSsrc is not null;
}
