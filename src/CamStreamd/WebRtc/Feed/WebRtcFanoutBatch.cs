using System.Net;
using CamStreamd.Interop.Libc;

namespace CamStreamd.WebRtc.Feed;

/// <summary>
/// One feed's sends of a frame, made together: each session protects the frame into its own
/// slots (<see cref="WebRtcSendBatch"/>) and stages them here (<see cref="Stage"/>), and
/// <see cref="Flush"/> sends every session's packets on the shared port in <c>sendmmsg</c> calls
/// that span sessions, where one call per session per frame cost a system call, a cold socket
/// reference and the session's own message arrays each. A session's run of full-size packets is
/// one segmented message (<see cref="SegmentedDatagrams"/>). Then each session is told what went
/// (<see cref="WebRtcMediaSession.OnStagedSent"/>). Its memory (about 45 KB, native in a
/// <see cref="SpanningSendArrays"/>) is made at the first staging and freed with the feed; a frame
/// allocates nothing. Used on the feed's dispatch path only (its dispatch lock).
/// </summary>
internal sealed unsafe class WebRtcFanoutBatch : IDisposable
{
    /// <summary>Messages per batch: with segmentation one or two per session and frame, so 256 spans a hundred sessions or more.</summary>
    public const int MaxMessages = 256;

    /// <summary>Datagrams the batch's iovecs hold.</summary>
    public const int MaxDatagrams = 1024;

    private readonly WebRtcMediaSession[] _sessions = new WebRtcMediaSession[MaxMessages];
    private readonly int[] _firstMessage = new int[MaxMessages + 1];
    private SpanningSendArrays? _memory;
    private MMsgHdr* _messages;
    private IoVec* _iov;
    private int* _segments;
    private byte* _control;
    private byte* _sockaddrs;
    private ISharedDatagramPort? _port;
    private int _entries;
    private int _messageCount;
    private int _iovUsed;

    /// <summary>
    /// Stages <paramref name="batch"/>'s packets for <paramref name="session"/>, whose peer is
    /// <paramref name="peer"/> on <paramref name="port"/>, flushing first when the batch is full or
    /// for another port. The slots stay the batch's until the flush tells the session.
    /// </summary>
    public void Stage(WebRtcMediaSession session, WebRtcSendBatch batch, ISharedDatagramPort port, SocketAddress peer)
    {
        var count = batch.Count;
        if (count == 0)
        {
            return;
        }

        if (_entries > 0 && (!ReferenceEquals(port, _port) || _messageCount + count > MaxMessages || _iovUsed + count > MaxDatagrams))
        {
            Flush();
        }

        if (_memory is null)
        {
            Allocate();
        }

        _port = port;
        var name = _sockaddrs + (_entries * SpanningSendArrays.SockaddrSpace);
        var address = peer.Buffer.Span[..peer.Size];
        address.CopyTo(new Span<byte>(name, SpanningSendArrays.SockaddrSpace));
        var iov = _iov + _iovUsed;
        var lengths = batch.Lengths;
        for (var i = 0; i < count; i++)
        {
            iov[i].Base = batch.Slots + (i * batch.Stride);
            iov[i].Length = (nuint)lengths[i];
        }

        _iovUsed += count;
        _messageCount += SegmentedDatagrams.Build(iov, count, name, (uint)address.Length, _messages + _messageCount, _segments + _messageCount, _control + (_messageCount * SegmentedDatagrams.ControlSpace), port.SegmentsDatagrams);
        _sessions[_entries] = session;
        _entries++;
        _firstMessage[_entries] = _messageCount;
    }

    /// <summary>
    /// Sends what is staged and tells each session how many of its packets went. A message the
    /// kernel refuses (other than for a full buffer) leaves the rest of its session's packets to
    /// that session's own send, and the batch goes on with the next session; a full buffer (EAGAIN)
    /// or a closed port ends the batch, and the sessions left skip to the next keyframe.
    /// </summary>
    public void Flush()
    {
        if (_entries == 0)
        {
            return;
        }

        var result = _memory!.Send(_port!, _messageCount, _firstMessage);
        Complete(result.SentUpTo, result.AnyRefused);
    }

    /// <inheritdoc />
    public void Dispose() => _memory?.Dispose();

    private void Allocate()
    {
        _memory = SpanningSendArrays.Allocate(MaxMessages, MaxDatagrams);
        _messages = _memory.Messages;
        _iov = _memory.Iov;
        _segments = _memory.Segments;
        _control = _memory.Control;
        _sockaddrs = _memory.Sockaddrs;
    }

    private void Complete(int sentUpTo, bool anyRefused)
    {
        var entries = _entries;
        _entries = 0;
        _messageCount = 0;
        _iovUsed = 0;
        _port = null;
        for (var e = 0; e < entries; e++)
        {
            var session = _sessions[e];
            _sessions[e] = null!;
            var datagrams = _memory!.DatagramsSent(_firstMessage, e, sentUpTo, anyRefused, out var refused);
            session.OnStagedSent(datagrams, refused);
        }
    }
}
