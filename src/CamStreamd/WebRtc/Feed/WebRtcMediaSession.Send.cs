using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using CamStreamd.Interop.Libc;
using CamStreamd.Media;
using CamStreamd.WebRtc.Srtp;

namespace CamStreamd.WebRtc.Feed;

/// <summary>The session's sending: a unit protected into its own slots and staged in the feed's fan-out (or sent through its own sender), a joiner's cached GOP, and the skip to the next keyframe when a send falls short.</summary>
public sealed partial class WebRtcMediaSession
{
    /// <summary>Feed thread: one packet of the current unit, if the session takes it (protected into the send batch, sent when it fills or at <see cref="Flush"/>; a joiner's cached GOP).</summary>
    internal void Send(ReadOnlySpan<byte> rtp, ushort streamSequence)
    {
        if (!_sendingThisUnit || _unitFailed)
        {
            return;
        }

        bool sent;
        lock (_sendGate)
        {
            sent = !_batch.IsFull || FlushLocked();
            if (sent)
            {
                QueueLocked(rtp, streamSequence);
            }
        }

        if (!sent)
        {
            SkipToKeyframe();
        }
    }

    /// <summary>
    /// Feed thread: every packet of the current unit (<paramref name="block"/>, stream sequence
    /// numbers from <paramref name="firstStreamSequence"/>), if the session takes it, protected
    /// under one hold of the send lock (the session's context and slots stay hot from one packet to
    /// the next) and staged in the feed's <paramref name="fanout"/>, which sends many sessions'
    /// packets per call; a sender off the shared port sends its own. A unit larger than the slots
    /// flushes the fan-out on the way. <see cref="OnStagedSent"/> tells what went.
    /// </summary>
    internal void SendUnit(WirePacketBlock block, ushort firstStreamSequence, WebRtcFanoutBatch fanout)
    {
        if (!_sendingThisUnit || _unitFailed)
        {
            return;
        }

        var failed = false;
        lock (_sendGate)
        {
            ISharedDatagramPort? port = null;
            SocketAddress? peer = null;
            var shared = Setup.Sender is ISharedPortPeer target && target.TryGetRoute(out port, out peer);
            var count = block.PacketCount;
            for (var i = 0; i < count; i++)
            {
                if (_batch.IsFull)
                {
                    if (shared)
                    {
                        // The fan-out sends these with everyone staged so far; a shortfall skips (OnStagedSent).
                        fanout.Stage(this, _batch, port!, peer!);
                        fanout.Flush();
                        if (_unitFailed)
                        {
                            break;
                        }
                    }
                    else if (!FlushLocked())
                    {
                        failed = true;
                        break;
                    }
                }

                QueueLocked(block.GetPacket(i), (ushort)(firstStreamSequence + i));
            }

            if (!failed && !_unitFailed)
            {
                if (shared)
                {
                    fanout.Stage(this, _batch, port!, peer!);
                }
                else
                {
                    failed = !FlushLocked();
                }
            }
        }

        if (failed)
        {
            SkipToKeyframe();
        }
    }

    /// <summary>
    /// Feed thread: the fan-out sent the first <paramref name="sent"/> of the packets staged from
    /// this session's batch; when the kernel <paramref name="refused"/> a message the rest go
    /// through the session's own sender. Counts them; a shortfall (a full socket buffer) skips to
    /// the next keyframe.
    /// </summary>
    internal void OnStagedSent(int sent, bool refused)
    {
        bool delivered;
        lock (_sendGate)
        {
            if (refused && !IsEnded)
            {
                sent += _batch.SendFrom(sent, Setup.Sender);
            }

            delivered = AccountLocked(sent);
        }

        if (!delivered)
        {
            SkipToKeyframe();
        }
    }

    /// <summary>Feed thread: sends what the batch holds (the end of a unit, or of a joiner's cached GOP).</summary>
    internal void Flush()
    {
        if (_unitFailed)
        {
            return;
        }

        bool sent;
        lock (_sendGate)
        {
            sent = FlushLocked();
        }

        if (!sent)
        {
            SkipToKeyframe();
        }
    }

    // EAGAIN: this session cannot keep up. Drop the rest of the unit and everything up to the next
    // IDR (asked for), as an RTSP session does; the browser's decoder resumes cleanly.
    private void SkipToKeyframe()
    {
        _unitFailed = true;
        _startNotBefore = Stopwatch.GetTimestamp() - (long)(WebRtcStreamFeed.MaxStartAge.TotalSeconds * Stopwatch.Frequency);
        Volatile.Write(ref _waitingForKeyframe, true);
        Interlocked.Increment(ref _framesDropped);
        RequestKeyframe();
        _feed.OnSessionSkipping(this, Interlocked.Read(ref _framesDropped));
    }

    // The per-session copy into the batch's next slot (not full): the stream packet's header with this
    // session's payload type, sequence number and SSRC, and its payload encrypted from where it lies.
    private void QueueLocked(ReadOnlySpan<byte> rtp, ushort streamSequence)
    {
        var headerLength = SrtpPacket.RtpHeaderLength(rtp);
        if (IsEnded || headerLength < 0 || rtp.Length + _protector.TagLength > _batch.Stride)
        {
            return;
        }

        var slot = _batch.NextSlot();
        rtp[..headerLength].CopyTo(slot);
        var sequence = (ushort)(streamSequence + _offset);
        slot[1] = (byte)((rtp[1] & 0x80) | Setup.PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(slot[2..], sequence);
        BinaryPrimitives.WriteUInt32BigEndian(slot[8..], Setup.Ssrc);
        var length = _protector.ProtectRtp(slot, headerLength, rtp[headerLength..]);
        _batch.Add(length, rtp.Length - headerLength, sequence);
        _nextSequence = (ushort)(sequence + 1);
    }

    // Sends the batch through the session's own sender (a joiner's cached GOP; a sender off the shared port).
    private bool FlushLocked()
    {
        if (_batch.Count == 0 || IsEnded)
        {
            _batch.Clear();
            return true;
        }

        return AccountLocked(_batch.SendFrom(0, Setup.Sender));
    }

    // Counts the first `sent` packets of the batch as sent and empties it; false when some did not go.
    private bool AccountLocked(int sent)
    {
        var count = _batch.Count;
        var first = _batch.FirstSequence;
        _batch.Measure(sent, out var bytes, out var payload);
        _batch.Clear();
        Interlocked.Add(ref _packetsSent, sent);
        Interlocked.Add(ref _bytesSent, bytes);
        Interlocked.Add(ref _payloadOctets, payload);
        if (sent < count)
        {
            // The unsent packets' numbers are given again after the skip: the browser sees no gap to NACK.
            _nextSequence = (ushort)(first + sent);
            Interlocked.Increment(ref _sendFailures);
            return false;
        }

        return true;
    }
}
