using System.Buffers;
using System.Buffers.Binary;
using CamStreamd.Interop.Libc;
using CamStreamd.Media;

namespace CamStreamd.Rtsp;

/// <summary>
/// One fan-out pass's UDP sends, made together: every UDP viewer stages the frame it is to get
/// (<see cref="TryStage"/>), and <see cref="Flush"/> sends them all on the shared server port
/// (<see cref="UdpServerPorts"/>) in <c>sendmmsg</c> calls of up to <see cref="MaxMessages"/>
/// messages that span viewers, where one call per viewer cost a system call, a wake-up of the
/// loopback reader and a cold socket each. Viewers at the same frame share its iovecs and
/// segmentation control messages; each message differs only in the viewer's address. Then each
/// viewer is told what went (<see cref="RtspSessionSender.OnStagedSent"/>). Its memory (about
/// 250 KB, native, <see cref="SpanningSendArrays"/>) is made at the first UDP viewer's first
/// frame and lives as long as the fan-out, that is its stream; a pass allocates nothing. Used under
/// the fan-out's pass lock only.
/// </summary>
internal sealed unsafe class UdpFanoutBatch
{
    /// <summary>Messages per batch: the kernel's cap on one <c>sendmmsg</c> (UIO_MAXIOV).</summary>
    public const int MaxMessages = 1024;

    /// <summary>Datagrams the batch's iovecs hold (frames shared by viewers count once).</summary>
    public const int MaxDatagrams = 4096;

    private SpanningSendArrays? _memory;
    private MMsgHdr* _messages;
    private IoVec* _iov;
    private int* _segments;
    private byte* _control;
    private byte* _sockaddrs;
    private RtspSessionSender[] _viewers = [];
    private AccessUnit[] _units = [];
    private int[] _firstMessage = [0];
    private MemoryHandle[] _pins = [];
    private List<RtspSessionSender> _again = [];
    private List<RtspSessionSender> _taken = [];
    private UdpServerPorts? _ports;
    private AccessUnit? _lastUnit;
    private int _lastUnitFirstMessage;
    private int _lastUnitMessages;
    private int _entries;
    private int _messageCount;
    private int _iovUsed;
    private int _pinCount;
    private long _calls;

    /// <summary><c>sendmmsg</c> calls the batches made (for tests: fewer than viewers times frames).</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>
    /// Stages <paramref name="unit"/> for <paramref name="viewer"/> (address <paramref name="sockaddr"/>
    /// on <paramref name="ports"/>), flushing first when the batch is full or for another port.
    /// False when the unit does not fit even an empty batch: the viewer then sends it itself.
    /// Until the flush tells the viewer, the batch holds the viewer's reference on the unit.
    /// </summary>
    public bool TryStage(RtspSessionSender viewer, AccessUnit unit, UdpServerPorts ports, ReadOnlySpan<byte> sockaddr, long now)
    {
        var packets = unit.Rtp.PacketCount;
        if (packets > MaxDatagrams || packets > MaxMessages)
        {
            return false;
        }

        if (_memory is null)
        {
            Allocate();
        }

        var shared = ReferenceEquals(unit, _lastUnit);
        var messagesNeeded = shared ? _lastUnitMessages : packets;
        if (_entries > 0 && (!ReferenceEquals(ports, _ports) || _messageCount + messagesNeeded > MaxMessages
            || (!shared && _iovUsed + packets > MaxDatagrams)))
        {
            Flush(now);
            shared = false;
        }

        _ports = ports;
        var name = _sockaddrs + (_entries * SpanningSendArrays.SockaddrSpace);
        sockaddr.CopyTo(new Span<byte>(name, SpanningSendArrays.SockaddrSpace));
        var first = _messageCount;
        if (shared)
        {
            // The same frame as the entry before: its messages again, to this viewer's address.
            var count = _lastUnitMessages;
            for (var m = 0; m < count; m++)
            {
                _messages[first + m] = _messages[_lastUnitFirstMessage + m];
                _messages[first + m].Name = name;
                _messages[first + m].NameLength = (uint)sockaddr.Length;
                _segments[first + m] = _segments[_lastUnitFirstMessage + m];
            }

            _messageCount += count;
        }
        else
        {
            _pins[_pinCount++] = unit.Rtp.InterleavedMemory.Pin();
            var iov = _iov + _iovUsed;
            FillIov(unit.Rtp, iov, (byte*)_pins[_pinCount - 1].Pointer);
            _iovUsed += packets;
            _lastUnitMessages = SegmentedDatagrams.Build(iov, packets, name, (uint)sockaddr.Length, _messages + first, _segments + first, _control + (first * SegmentedDatagrams.ControlSpace), ports.BatchPort.SegmentsDatagrams);
            _messageCount += _lastUnitMessages;
            _lastUnit = unit;
            _lastUnitFirstMessage = first;
        }

        _viewers[_entries] = viewer;
        _units[_entries] = unit;
        _entries++;
        _firstMessage[_entries] = _messageCount;
        return true;
    }

    /// <summary>
    /// Sends what is staged and tells each viewer what went. A message the kernel refuses (other
    /// than for a full buffer) leaves its viewer's frame to that viewer's own send, and the batch
    /// goes on with the next viewer; a full buffer (EAGAIN) ends the batch and the viewers left drain.
    /// </summary>
    public void Flush(long now)
    {
        if (_entries == 0)
        {
            return;
        }

        var ports = _ports!;
        ports.DrainRtpWhenDue(now);
        var result = _memory!.Send(ports.BatchPort, _messageCount, _firstMessage);
        Interlocked.Add(ref _calls, result.Calls);
        Complete(result.SentUpTo, result.AnyRefused, result.Stopped, now);
    }

    /// <summary>
    /// The viewers told since the last call that still have units queued (the fan-out serves them
    /// again). The caller clears the list before it calls again; flushes meanwhile fill the other one.
    /// </summary>
    public List<RtspSessionSender> TakeAgain()
    {
        (_again, _taken) = (_taken, _again);
        return _taken;
    }

    private void Allocate()
    {
        // Never freed by hand: its handle's finalizer frees it with the fan-out (the pass holds no
        // reference across calls, and the fan-out outlives every pass).
        _memory = SpanningSendArrays.Allocate(MaxMessages, MaxDatagrams);
        _messages = _memory.Messages;
        _iov = _memory.Iov;
        _segments = _memory.Segments;
        _control = _memory.Control;
        _sockaddrs = _memory.Sockaddrs;
        _viewers = new RtspSessionSender[MaxMessages];
        _units = new AccessUnit[MaxMessages];
        _firstMessage = new int[MaxMessages + 1];
        _pins = new MemoryHandle[MaxMessages];
    }

    private static void FillIov(WirePacketBlock block, IoVec* iov, byte* data)
    {
        // The block holds "$ channel length(16)" + packet, back to back (RFC 2326 §10.12 framing).
        var offset = 0;
        for (var i = 0; i < block.PacketCount; i++)
        {
            var length = BinaryPrimitives.ReadUInt16BigEndian(new ReadOnlySpan<byte>(data + offset + 2, 2));
            iov[i].Base = data + offset + WirePacketBlock.InterleavedHeaderLength;
            iov[i].Length = length;
            offset += WirePacketBlock.InterleavedHeaderLength + length;
        }
    }

    private void Complete(int sentUpTo, bool anyRefused, bool wouldBlock, long now)
    {
        var entries = _entries;
        for (var p = 0; p < _pinCount; p++)
        {
            _pins[p].Dispose();
        }

        // Reset before the viewers are told: a viewer told may stage again (its drain's hand-back signals, never stages here).
        _entries = 0;
        _messageCount = 0;
        _iovUsed = 0;
        _pinCount = 0;
        _lastUnit = null;
        _ports = null;
        for (var e = 0; e < entries; e++)
        {
            var viewer = _viewers[e];
            var unit = _units[e];
            _viewers[e] = null!;
            _units[e] = null!;
            var datagrams = _memory!.DatagramsSent(_firstMessage, e, sentUpTo, anyRefused, out var refused);

            var blocked = wouldBlock && _firstMessage[e + 1] > sentUpTo;
            if (viewer.OnStagedSent(unit, datagrams, blocked && !refused, now))
            {
                _again.Add(viewer);
            }
        }
    }
}
