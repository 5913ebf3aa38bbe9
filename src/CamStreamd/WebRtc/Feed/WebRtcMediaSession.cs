using System.Buffers.Binary;
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
public sealed class WebRtcMediaSession : IDisposable
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
    private readonly byte[] _sendBuffer;
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
        _protector = new SrtpProtector(setup.Keys.ServerKey, setup.Keys.ServerSalt);
        _unprotector = new SrtpUnprotector(setup.Keys.ClientKey, setup.Keys.ClientSalt);
        _sendBuffer = new byte[maxPacketLength + SrtpProtector.AuthTagLength];
        _resendBuffer = new byte[maxPacketLength + SrtpProtector.AuthTagLength];
        _sdesLength = RtcpSenderReport.SdesLength(setup.Cname);
        _reportBuffer = new byte[RtcpSenderReport.Length + _sdesLength + SrtpProtector.SrtcpTrailerLength];
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

    /// <summary>
    /// Hands over one SRTCP datagram from the browser (first byte 128..191 and packet type
    /// 192..223, RFC 5761 §4). Authenticated, replay-checked and acted on at once (PLI/FIR ask
    /// for an IDR, NACK resends from the stream's history, RR gives the round-trip time); a
    /// datagram that does not authenticate is counted and ignored. Never blocks for long.
    /// </summary>
    public void DeliverRtcp(ReadOnlySpan<byte> srtcp)
    {
        if (IsEnded)
        {
            return;
        }

        lock (_receiveGate)
        {
            if (IsEnded)
            {
                return;
            }

            if (srtcp.Length > _receiveBuffer.Length)
            {
                Interlocked.Increment(ref _rtcpRejected);
                return;
            }

            var packet = _receiveBuffer.AsSpan(0, srtcp.Length);
            srtcp.CopyTo(packet);
            if (_unprotector.UnprotectRtcp(packet, out var length) != SrtpResult.Ok)
            {
                Interlocked.Increment(ref _rtcpRejected);
                return;
            }

            Interlocked.Increment(ref _rtcpReceived);
            OnRtcp(packet[..length]);
        }
    }

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

    /// <summary>Feed thread: one packet of the current unit, if the session takes it.</summary>
    internal void Send(ReadOnlySpan<byte> rtp, ushort streamSequence)
    {
        if (!_sendingThisUnit || _unitFailed)
        {
            return;
        }

        bool sent;
        lock (_sendGate)
        {
            sent = ProtectAndSendLocked(rtp, streamSequence, _sendBuffer, resend: false);
        }

        if (!sent)
        {
            // EAGAIN: this session cannot keep up. Drop the rest of the unit and everything up to
            // the next IDR (asked for), as an RTSP session does; the browser's decoder resumes cleanly.
            _unitFailed = true;
            _startNotBefore = Stopwatch.GetTimestamp() - (long)(WebRtcStreamFeed.MaxStartAge.TotalSeconds * Stopwatch.Frequency);
            Volatile.Write(ref _waitingForKeyframe, true);
            Interlocked.Increment(ref _framesDropped);
            RequestKeyframe();
            _feed.OnSessionSkipping(this, Interlocked.Read(ref _framesDropped));
        }
    }

    /// <summary>Feed thread, after a unit: counts it; sends the SR when one is due.</summary>
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

    private bool ProtectAndSendLocked(ReadOnlySpan<byte> rtp, ushort streamSequence, byte[] buffer, bool resend)
    {
        if (IsEnded || rtp.Length < RtpHeader.FixedLength || rtp.Length + SrtpProtector.AuthTagLength > buffer.Length)
        {
            return true;
        }

        // The per-session copy: the stream's packet with this session's payload type, sequence number and SSRC.
        rtp.CopyTo(buffer);
        var sequence = (ushort)(streamSequence + _offset);
        buffer[1] = (byte)((rtp[1] & 0x80) | Setup.PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8), Setup.Ssrc);
        var length = _protector.ProtectRtp(buffer, rtp.Length);
        if (!Setup.Sender.TrySend(buffer.AsSpan(0, length)))
        {
            Interlocked.Increment(ref _sendFailures);
            return false;
        }

        if (!resend)
        {
            _nextSequence = (ushort)(sequence + 1);
            Interlocked.Add(ref _payloadOctets, rtp.Length - RtpHeader.FixedLength);
        }

        Interlocked.Increment(ref _packetsSent);
        Interlocked.Add(ref _bytesSent, length);
        return true;
    }

    private void SendReport(long now, H264RtpPacketizer clock)
    {
        var rtpNow = clock.ToRtpTimestamp(AccessUnit.TicksTo90k(now));
        var ntpNow = RtcpSenderReport.ToNtpTimestamp(DateTime.UtcNow);
        lock (_sendGate)
        {
            if (IsEnded)
            {
                return;
            }

            var span = _reportBuffer.AsSpan();
            RtcpSenderReport.Write(span, Setup.Ssrc, ntpNow, rtpNow, Interlocked.Read(ref _packetsSent), Interlocked.Read(ref _payloadOctets));
            // The SDES was written once behind the SR; protecting encrypts it in place, so rewrite it each time.
            RtcpSenderReport.WriteSdesCname(span[RtcpSenderReport.Length..], Setup.Ssrc, Setup.Cname);
            var length = _protector.ProtectRtcp(span, RtcpSenderReport.Length + _sdesLength);
            if (Setup.Sender.TrySend(span[..length]))
            {
                Interlocked.Increment(ref _reportsSent);
            }
            else
            {
                Interlocked.Increment(ref _sendFailures);
            }
        }
    }

    private void OnRtcp(ReadOnlySpan<byte> compound)
    {
        RtcpFeedback.Read(compound, Setup.Ssrc, out var plis, out var firs, out var nackPackets, _nacked, out var nackedCount);
        if (plis + firs > 0)
        {
            Interlocked.Add(ref _plisReceived, plis);
            Interlocked.Add(ref _firsReceived, firs);
            RequestKeyframe();
        }

        if (nackPackets > 0)
        {
            Interlocked.Add(ref _nacksReceived, nackPackets);
            Resend(_nacked.AsSpan(0, nackedCount));
        }

        if (RtcpReceiverReport.TryFind(compound, Setup.Ssrc, out var report) == RtcpParseResult.Ok)
        {
            Volatile.Write(ref _fractionLost, report.FractionLost);
            Interlocked.Exchange(ref _cumulativeLost, report.CumulativeLost);
            Interlocked.Exchange(ref _jitterMicroseconds, report.JitterMicroseconds(AccessUnit.ClockRate));
            if (report.LastSenderReport != 0)
            {
                // RFC 3550 §6.4.1: RTT = A - LSR - DLSR, all in the middle 32 bits of NTP time (1/65536 s).
                var middle = (uint)(RtcpSenderReport.ToNtpTimestamp(DateTime.UtcNow) >> 16);
                var rtt = middle - report.LastSenderReport - report.DelaySinceLastSenderReport;
                if (rtt < 0x8000_0000u)
                {
                    Interlocked.Exchange(ref _roundTripMicroseconds, (long)rtt * 1_000_000 / 65_536);
                }
            }
        }
    }

    private void Resend(ReadOnlySpan<ushort> sessionSequences)
    {
        foreach (var sessionSequence in sessionSequences)
        {
            lock (_sendGate)
            {
                var streamSequence = (ushort)(sessionSequence - _offset);
                // Only packets numbered under the current offset map back to the stream's.
                var since = (ushort)(streamSequence - _offsetFrom);
                var behind = (ushort)(_nextSequence - 1 - sessionSequence);
                var length = since < 0x8000 && behind < 0x8000 ? _feed.History.CopyTo(streamSequence, _resendBuffer) : 0;
                if (length == 0)
                {
                    Interlocked.Increment(ref _packetsNotInHistory);
                    continue;
                }

                // The history copy sits in _resendBuffer; ProtectAndSendLocked copies onto itself (same start), harmless.
                if (ProtectAndSendLocked(_resendBuffer.AsSpan(0, length), streamSequence, _resendBuffer, resend: true))
                {
                    Interlocked.Increment(ref _packetsResent);
                }
            }
        }
    }
}
