using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.Rtp;
using CamStreamd.WebRtc.Srtp;

namespace CamStreamd.WebRtc.Feed;

/// <summary>
/// One browser's media on its stream's feed: its SRTP contexts, its per-session packet buffer
/// (the only per-session copy), its sequence numbering, its RTCP (SRs out; PLI, FIR, NACK and RR
/// in) and its counters. The feed's thread sends; the plane's UDP thread delivers SRTCP.
/// </summary>
public sealed partial class WebRtcMediaSession : IDisposable
{
    /// <summary>Least time between two IDR requests of one session (PLI/FIR storms, joins, skips).</summary>
    public static readonly TimeSpan KeyframeRequestInterval = TimeSpan.FromSeconds(1);

    /// <summary>Time between two sender reports.</summary>
    public static readonly TimeSpan SenderReportInterval = TimeSpan.FromSeconds(1);

    private readonly WebRtcStreamFeed _feed;
    private readonly SrtpProtector _protector;
    private readonly SrtpUnprotector _unprotector;
    private readonly Lock _sendGate = new();
    private readonly Lock _receiveGate = new();
    private readonly WebRtcSendBatch _batch;
    private readonly byte[] _resendBuffer;
    private readonly byte[] _reportBuffer;
    private readonly byte[] _receiveBuffer = new byte[1500];
    private readonly ushort[] _nacked = new ushort[RtcpFeedback.MaxNackedPerCompound];
    private readonly int _sdesLength;

    // Sequence mapping: session seq = stream seq + offset, valid for stream seqs from _offsetFrom on
    // (the offset changes when the session resumes after a skip, keeping its own numbers gapless).
    private ushort _offset;
    private ushort _offsetFrom;
    private ushort _nextSequence;
    private bool _waitingForKeyframe = true;
    private bool _sendingThisUnit;
    private bool _unitFailed;
    private int _ended;
    private long _lastKeyframeRequest;
    private long _startNotBefore;
    private long _lastReport;

    private long _packetsSent;
    private long _bytesSent;
    private long _payloadOctets;
    private long _framesSent;
    private long _framesDropped;
    private long _sendFailures;
    private long _nacksReceived;
    private long _packetsResent;
    private long _packetsNotInHistory;
    private long _plisReceived;
    private long _firsReceived;
    private long _keyframeRequests;
    private long _reportsSent;
    private long _rtcpReceived;
    private long _rtcpRejected;
    private long _roundTripMicroseconds = -1;
    private int _fractionLost;
    private long _cumulativeLost;
    private long _jitterMicroseconds;

    internal WebRtcMediaSession(WebRtcStreamFeed feed, WebRtcMediaSessionSetup setup, int maxPacketLength)
    {
        _feed = feed;
        Setup = setup;
        _protector = new SrtpProtector(setup.Keys.Profile, setup.Keys.ServerKey, setup.Keys.ServerSalt);
        _unprotector = new SrtpUnprotector(setup.Keys.Profile, setup.Keys.ClientKey, setup.Keys.ClientSalt);
        _batch = new WebRtcSendBatch(maxPacketLength + _protector.TagLength);
        _resendBuffer = new byte[maxPacketLength + _protector.TagLength];
        _sdesLength = RtcpSenderReport.SdesLength(setup.Cname);
        _reportBuffer = new byte[RtcpSenderReport.Length + _sdesLength + _protector.RtcpTrailerLength];
        RtcpSenderReport.WriteSdesCname(_reportBuffer.AsSpan(RtcpSenderReport.Length), setup.Ssrc, setup.Cname);
        _nextSequence = (ushort)WebRtcMediaSessionSetup.RandomSsrc();
        _startNotBefore = Stopwatch.GetTimestamp() - (long)(WebRtcStreamFeed.MaxStartAge.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Raised once when the stream's feed ends under the session (stream stopped or replaced); the plane then ends the session.</summary>
    public event Action? Ended;

    /// <summary>Name of the stream this session plays.</summary>
    public string StreamName => _feed.Hub.Name;

    /// <summary>Our SSRC in this session (from the setup).</summary>
    public uint Ssrc => Setup.Ssrc;

    /// <summary>True once the feed ended or the session was disposed.</summary>
    public bool IsEnded => Volatile.Read(ref _ended) != 0;

    /// <summary>A snapshot of the session's counters.</summary>
    public WebRtcSessionStats Stats
    {
        get
        {
            var rtt = Interlocked.Read(ref _roundTripMicroseconds);
            return new WebRtcSessionStats(
                Interlocked.Read(ref _packetsSent),
                Interlocked.Read(ref _bytesSent),
                Interlocked.Read(ref _framesSent),
                Interlocked.Read(ref _framesDropped),
                Interlocked.Read(ref _sendFailures),
                Interlocked.Read(ref _nacksReceived),
                Interlocked.Read(ref _packetsResent),
                Interlocked.Read(ref _packetsNotInHistory),
                Interlocked.Read(ref _plisReceived),
                Interlocked.Read(ref _firsReceived),
                Interlocked.Read(ref _keyframeRequests),
                Interlocked.Read(ref _reportsSent),
                Interlocked.Read(ref _rtcpReceived),
                Interlocked.Read(ref _rtcpRejected),
                rtt < 0 ? null : rtt / 1000.0,
                Volatile.Read(ref _fractionLost),
                Interlocked.Read(ref _cumulativeLost),
                Interlocked.Read(ref _jitterMicroseconds),
                Volatile.Read(ref _waitingForKeyframe));
        }
    }

    internal WebRtcMediaSessionSetup Setup { get; }

    /// <summary>Detaches from the feed (the last session of a stream stops its feed).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _feed.Detach(this);
            DisposeCrypto();
        }
    }

    /// <summary>The feed ended under the session.</summary>
    internal void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            Ended?.Invoke();
        }
    }

    /// <summary>
    /// Feed thread, before a unit's packets: true when this unit goes to the session. A waiting
    /// session starts on a keyframe captured no earlier than <see cref="WebRtcStreamFeed.MaxStartAge"/>
    /// before it joined or skipped; anything else is dropped (counted) and an IDR asked for.
    /// </summary>
    internal bool BeginUnit(bool keyframe, long captureTimestamp, ushort firstStreamSequence)
    {
        _unitFailed = false;
        if (Volatile.Read(ref _waitingForKeyframe))
        {
            if (!keyframe || captureTimestamp < _startNotBefore)
            {
                Interlocked.Increment(ref _framesDropped);
                RequestKeyframe();
                _sendingThisUnit = false;
                return false;
            }

            Resume(firstStreamSequence);
        }

        _sendingThisUnit = true;
        return true;
    }

    /// <summary>Feed thread: starts numbering at <paramref name="firstStreamSequence"/> (a keyframe's first packet, or a cached GOP's).</summary>
    internal void Resume(ushort firstStreamSequence)
    {
        lock (_sendGate)
        {
            _offset = (ushort)(_nextSequence - firstStreamSequence);
            _offsetFrom = firstStreamSequence;
            Volatile.Write(ref _waitingForKeyframe, false);
        }
    }

    /// <summary>Feed thread, after a unit (<see cref="SendUnit"/> sent all of it): counts it; sends the SR when one is due.</summary>
    internal void EndUnit(long now, H264RtpPacketizer clock)
    {
        if (_sendingThisUnit && !_unitFailed)
        {
            Interlocked.Increment(ref _framesSent);
        }

        _sendingThisUnit = false;
        if (!Volatile.Read(ref _waitingForKeyframe) && (_lastReport == 0 || Stopwatch.GetElapsedTime(_lastReport, now) >= SenderReportInterval))
        {
            _lastReport = now;
            SendReport(now, clock);
        }
    }

    /// <summary>Asks the stream for an IDR unless this session did within <see cref="KeyframeRequestInterval"/>.</summary>
    internal void RequestKeyframe()
    {
        var now = Stopwatch.GetTimestamp();
        var last = Interlocked.Read(ref _lastKeyframeRequest);
        if ((last == 0 || Stopwatch.GetElapsedTime(last, now) >= KeyframeRequestInterval)
            && Interlocked.CompareExchange(ref _lastKeyframeRequest, now, last) == last)
        {
            Interlocked.Increment(ref _keyframeRequests);
            _feed.Hub.RequestKeyframe();
        }
    }

    /// <summary>Frees the SRTP contexts once ended: under each lock, after which the ended flag keeps both paths out.</summary>
    internal void DisposeCrypto()
    {
        lock (_sendGate)
        {
            _protector.Dispose();
        }

        lock (_receiveGate)
        {
            _unprotector.Dispose();
        }
    }

}
