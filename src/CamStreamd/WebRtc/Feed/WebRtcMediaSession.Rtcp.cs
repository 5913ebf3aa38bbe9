using System.Buffers.Binary;
using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.Rtp;
using CamStreamd.WebRtc.Srtp;

namespace CamStreamd.WebRtc.Feed;

/// <summary>The session's RTCP: SRTCP from the browser (PLI, FIR, NACK answered from the stream's history, RR), and our sender reports.</summary>
public sealed partial class WebRtcMediaSession
{
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

    // A NACKed packet again from the stream's history, under its session number (sent alone, at once).
    private bool ResendLocked(ReadOnlySpan<byte> rtp, ushort streamSequence)
    {
        if (IsEnded || rtp.Length < RtpHeader.FixedLength || rtp.Length + _protector.TagLength > _resendBuffer.Length)
        {
            return true;
        }

        // The history copy may already sit in _resendBuffer: copying onto itself (same start) is harmless.
        rtp.CopyTo(_resendBuffer);
        _resendBuffer[1] = (byte)((rtp[1] & 0x80) | Setup.PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(_resendBuffer.AsSpan(2), (ushort)(streamSequence + _offset));
        BinaryPrimitives.WriteUInt32BigEndian(_resendBuffer.AsSpan(8), Setup.Ssrc);
        var length = _protector.ProtectRtp(_resendBuffer, rtp.Length);
        if (!Setup.Sender.TrySend(_resendBuffer.AsSpan(0, length)))
        {
            Interlocked.Increment(ref _sendFailures);
            return false;
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

                if (ResendLocked(_resendBuffer.AsSpan(0, length), streamSequence))
                {
                    Interlocked.Increment(ref _packetsResent);
                }
            }
        }
    }
}
