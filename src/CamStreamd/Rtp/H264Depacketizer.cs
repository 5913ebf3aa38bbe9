
namespace CamStreamd.Rtp;

/// <summary>
/// Reassembles H.264 access units from RTP packets (RFC 6184, non-interleaved mode: single NAL
/// unit packets, STAP-A and FU-A). Malformed input is reported as a
/// <see cref="H264DepacketizeResult"/>, never as an exception.
/// </summary>
/// <remarks>
/// <para>Use: after each <see cref="Push"/>, call <see cref="TryReadAccessUnit"/> until it returns
/// false. An access unit is complete on the marker bit or when the RTP timestamp changes, so one
/// push may complete two. Completed units live in the depacketizer's own reusable buffers (three
/// rotating slots, no allocation in steady state) and stay valid until the next push; units not
/// read by then are dropped and counted in <see cref="AccessUnitsNotRead"/>.</para>
/// <para>A sequence gap (or a malformed packet) damages the unit being assembled: it and the rest
/// of its packets are dropped, and only once a unit holding an IDR slice arrives are units
/// emitted again (<see cref="IsWaitingForKeyframe"/>). There is no jitter buffer: a reordered
/// packet counts as a loss, and the late packet as <see cref="H264DepacketizeResult.DuplicateOrLate"/>.
/// Not thread-safe.</para>
/// </remarks>
public sealed partial class H264Depacketizer
{
    /// <summary>Default limit of one assembled access unit.</summary>
    public const int DefaultMaxAccessUnitSize = 8 * 1024 * 1024;

    private const int StartCodeLength = 4;
    private const int SlotCount = 3;

    private readonly int _maxAccessUnitSize;
    private readonly byte[][] _buffers = new byte[SlotCount][];
    private readonly int[] _lengths = new int[SlotCount];
    private readonly uint[] _timestamps = new uint[SlotCount];
    private readonly bool[] _keyframes = new bool[SlotCount];
    private readonly int[] _ready = new int[SlotCount - 1];
    private readonly bool _requireKeyframeFirst;
    private int _readyCount;
    private int _readIndex;
    private int _current;
    private bool _inUnit;
    private bool _damaged;
    private bool _skippingNonKeyframe;
    private bool _hasNonIdrSlice;
    private bool _fuActive;
    private int _fuType;
    private bool _haveSequence;
    private ushort _expectedSequence;
    private bool _waitingForKeyframe;

    /// <summary>Creates a depacketizer.</summary>
    /// <param name="maxAccessUnitSize">Largest access unit assembled; larger ones are dropped.</param>
    /// <param name="requireKeyframeFirst">Emit nothing before the first IDR (a decoder cannot start elsewhere).</param>
    public H264Depacketizer(int maxAccessUnitSize = DefaultMaxAccessUnitSize, bool requireKeyframeFirst = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAccessUnitSize, 64);
        _maxAccessUnitSize = maxAccessUnitSize;
        _requireKeyframeFirst = requireKeyframeFirst;
        var initial = Math.Min(maxAccessUnitSize, 64 * 1024);
        for (var i = 0; i < SlotCount; i++)
        {
            _buffers[i] = new byte[initial];
        }

        Reset();
    }

    /// <summary>True after a loss (or at start) until a unit holding an IDR slice is complete.</summary>
    public bool IsWaitingForKeyframe => _waitingForKeyframe;

    /// <summary>Packets with a valid RTP header.</summary>
    public long PacketsReceived { get; private set; }

    /// <summary>Packets missing according to sequence-number gaps.</summary>
    public long PacketsLost { get; private set; }

    /// <summary>Packets ignored as duplicates or late arrivals.</summary>
    public long PacketsDuplicateOrLate { get; private set; }

    /// <summary>Packets rejected as malformed (header or payload).</summary>
    public long PacketsMalformed { get; private set; }

    /// <summary>Access units completed and offered to the reader.</summary>
    public long AccessUnitsEmitted { get; private set; }

    /// <summary>Access units dropped: damaged by loss or malformed packets, incomplete, too large, or not a keyframe while waiting for one.</summary>
    public long AccessUnitsDropped { get; private set; }

    /// <summary>Completed units the caller did not read before the next push.</summary>
    public long AccessUnitsNotRead { get; private set; }

    /// <summary>Forgets all state (new stream); counters are kept.</summary>
    public void Reset()
    {
        _readyCount = 0;
        _readIndex = 0;
        _current = 0;
        _inUnit = false;
        _damaged = false;
        _skippingNonKeyframe = false;
        _fuActive = false;
        _haveSequence = false;
        _waitingForKeyframe = _requireKeyframeFirst;
    }

    /// <summary>Takes the next completed access unit, valid until the next <see cref="Push"/>.</summary>
    public bool TryReadAccessUnit(out H264DepacketizedUnit unit)
    {
        if (_readIndex >= _readyCount)
        {
            unit = default;
            return false;
        }

        var slot = _ready[_readIndex++];
        unit = new H264DepacketizedUnit(_buffers[slot].AsSpan(0, _lengths[slot]), _timestamps[slot], _keyframes[slot]);
        return true;
    }

    /// <summary>Feeds one RTP packet (header included).</summary>
    public H264DepacketizeResult Push(ReadOnlySpan<byte> packet)
    {
        var parse = RtpHeader.TryRead(packet, out var header, out var payloadOffset, out var payloadLength);
        if (parse != RtpParseResult.Ok)
        {
            PacketsMalformed++;
            return parse switch
            {
                RtpParseResult.BadVersion => H264DepacketizeResult.BadVersion,
                RtpParseResult.BadPadding => H264DepacketizeResult.BadPadding,
                _ => H264DepacketizeResult.TooShort,
            };
        }

        AccessUnitsNotRead += _readyCount - _readIndex;
        _readyCount = 0;
        _readIndex = 0;
        PacketsReceived++;
        var payload = packet.Slice(payloadOffset, payloadLength);

        // Sequence numbers compare in 16-bit serial arithmetic (RFC 3550 Appendix A.1).
        var discontinuity = !_haveSequence;
        if (_haveSequence)
        {
            var delta = (short)(header.SequenceNumber - _expectedSequence);
            if (delta < 0)
            {
                PacketsDuplicateOrLate++;
                return H264DepacketizeResult.DuplicateOrLate;
            }

            if (delta > 0)
            {
                PacketsLost += delta;
                _waitingForKeyframe = true;
                discontinuity = true;
            }
        }

        _haveSequence = true;
        _expectedSequence = unchecked((ushort)(header.SequenceNumber + 1));

        if (_inUnit && header.Timestamp != _timestamps[_current])
        {
            CompleteCurrent();
        }

        if (!_inUnit)
        {
            StartUnit(header.Timestamp);
            if (discontinuity && !H264PayloadRules.StartsAccessUnit(payload))
            {
                // Packets before this one may belong to this unit: it cannot be trusted.
                DamageCurrent();
            }
        }
        else if (discontinuity)
        {
            DamageCurrent();
        }

        H264DepacketizeResult result;
        if (_damaged)
        {
            result = _skippingNonKeyframe ? H264DepacketizeResult.WaitingForKeyframe : H264DepacketizeResult.DiscardedDamagedAccessUnit;
        }
        else
        {
            result = AppendPayload(payload);
            if (result != H264DepacketizeResult.Accepted)
            {
                if (result != H264DepacketizeResult.AccessUnitTooLarge)
                {
                    PacketsMalformed++;
                }

                DamageCurrent();
            }
            else if (_waitingForKeyframe && _hasNonIdrSlice)
            {
                // All slices of a picture share its IDR-ness (H.264 §7.4.1.2.4): this unit cannot be a keyframe.
                DamageCurrent();
                _skippingNonKeyframe = true;
                result = H264DepacketizeResult.WaitingForKeyframe;
            }
        }

        if (header.Marker)
        {
            CompleteCurrent();
        }

        return result;
    }

    /// <summary>Extends the current unit by <paramref name="count"/> bytes and returns them.</summary>
    private bool TryGrow(int count, out Span<byte> dest)
    {
        var length = _lengths[_current];
        var needed = length + count;
        if (needed > _maxAccessUnitSize)
        {
            dest = default;
            return false;
        }

        ref var buffer = ref _buffers[_current];
        if (needed > buffer.Length)
        {
            Array.Resize(ref buffer, (int)Math.Min(_maxAccessUnitSize, Math.Max(needed, 2L * buffer.Length)));
        }

        _lengths[_current] = needed;
        dest = buffer.AsSpan(length, count);
        return true;
    }

    private void StartUnit(uint timestamp)
    {
        _inUnit = true;
        _damaged = false;
        _skippingNonKeyframe = false;
        _hasNonIdrSlice = false;
        _fuActive = false;
        _lengths[_current] = 0;
        _timestamps[_current] = timestamp;
        _keyframes[_current] = false;
    }

    private void DamageCurrent()
    {
        if (!_damaged)
        {
            _damaged = true;
            AccessUnitsDropped++;
        }

        _waitingForKeyframe = true;
        _fuActive = false;
        _lengths[_current] = 0;
    }

    private void CompleteCurrent()
    {
        _inUnit = false;
        var fragmentOpen = _fuActive;
        _fuActive = false;
        if (_damaged)
        {
            _damaged = false;
            _skippingNonKeyframe = false;
            return;
        }

        if (fragmentOpen)
        {
            // The end fragment never came although no sequence number is missing: a broken sender.
            AccessUnitsDropped++;
            _waitingForKeyframe = true;
            return;
        }

        if (_lengths[_current] == 0)
        {
            return;
        }

        if (_waitingForKeyframe)
        {
            if (!_keyframes[_current])
            {
                AccessUnitsDropped++;
                return;
            }

            _waitingForKeyframe = false;
        }

        AccessUnitsEmitted++;
        _ready[_readyCount++] = _current;
        _current = FreeSlot();
    }

    private int FreeSlot()
    {
        for (var slot = 0; slot < SlotCount; slot++)
        {
            if (Array.IndexOf(_ready, slot, 0, _readyCount) < 0)
            {
                return slot;
            }
        }

        throw new InvalidOperationException("No free access unit slot."); // unreachable: at most two units complete per push
    }
}
