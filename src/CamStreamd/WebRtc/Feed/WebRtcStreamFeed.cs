using System.Diagnostics;
using System.Runtime.ExceptionServices;
using CamStreamd.Media;
using CamStreamd.Rtp;
using Microsoft.Extensions.Logging;

namespace CamStreamd.WebRtc.Feed;

/// <summary>
/// The WebRTC feed of one stream (see <see cref="WebRtcStreamFeeds"/>): one hub subscription, one
/// packetization per access unit at ≤ 1200-byte payloads (its own SSRC-less sequence space; each
/// session rewrites payload type, sequence number and SSRC in its copy), one copy into the NACK
/// history, and one pass over the sessions per packet. The publishing thread (the capture loop, a
/// relay's reader) runs that pass as it publishes, as the RTSP fan-out does, so no thread wakes per
/// frame; the feed's own loop starts joiners (replaying the GOP), takes the units the publisher
/// left to it while the loop was busy, and ends the feed. Runs while it has sessions.
/// </summary>
internal sealed class WebRtcStreamFeed : IDisposable
{
    /// <summary>Largest RTP payload: WebRTC's customary 1200 bytes, which fit every path's MTU with SRTP, UDP, IPv6 and a TURN relay.</summary>
    public const int MaxPayloadLength = 1200;

    /// <summary>Largest RTP packet the feed makes.</summary>
    public const int MaxPacketLength = RtpHeader.FixedLength + MaxPayloadLength;

    /// <summary>
    /// A session starts on a keyframe (live, or the feed's cached GOP) captured at most this long
    /// before it joined (or before it skipped). An older GOP is not replayed: the browser would pace
    /// its frames by their timestamps and keep that much delay; it gets the IDR it asked for instead.
    /// Measured against the join, not the dispatch, so the feed's own lag never rejects a fresh IDR.
    /// </summary>
    public static readonly TimeSpan MaxStartAge = TimeSpan.FromMilliseconds(500);

    private readonly ILogger _logger;
    private readonly Action<WebRtcStreamFeed> _stopped;
    private readonly H264RtpPacketizer _packetizer = H264RtpPacketizer.CreateRandom(MaxPacketLength);
    private readonly WirePacketBlock _block = new();
    private readonly WebRtcFanoutBatch _fanout = new();
    private readonly byte[] _replayBuffer = new byte[MaxPacketLength];
    private readonly Lock _gate = new();
    private readonly Lock _dispatchGate = new();
    private readonly AsyncAutoResetSignal _wake = new();
    private readonly List<WebRtcMediaSession> _joining = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly HubSubscription _subscription;
    private WebRtcMediaSession[] _sessions = [];
    private bool _haveGop;
    private ushort _gopFirst;
    private long _gopCapture;
    private ushort _lastSequence;
    private bool _stopping;
    private bool _dispatchClosed;
    private bool _joinersPending;
    private Exception? _failure;
    private int _stoppedFlag;

    public WebRtcStreamFeed(StreamHub hub, ILogger logger, Action<WebRtcStreamFeed> stopped)
    {
        Hub = hub;
        _logger = logger;
        _stopped = stopped;
        _subscription = hub.Subscribe();
    }

    public StreamHub Hub { get; }

    public WebRtcPacketHistory History { get; } = new(MaxPacketLength);

    public bool IsStopped => Volatile.Read(ref _stoppedFlag) != 0;

    /// <summary>Sessions attached (joining or playing).</summary>
    public int SessionCount
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Length + _joining.Count;
            }
        }
    }

    /// <summary>Adds a session (started by the feed's loop at once); null when the feed is stopping.</summary>
    public WebRtcMediaSession? TryAttach(WebRtcMediaSessionSetup setup)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return null;
            }

            var session = new WebRtcMediaSession(this, setup, MaxPacketLength);
            _joining.Add(session);
            Volatile.Write(ref _joinersPending, true);

            // The loop starts it (its cached GOP replayed there, never on the publishing thread).
            _wake.Set();
            return session;
        }
    }

    public void Detach(WebRtcMediaSession session)
    {
        bool last;
        lock (_gate)
        {
            _joining.Remove(session);
            var index = Array.IndexOf(_sessions, session);
            if (index >= 0)
            {
                _sessions = [.. _sessions[..index], .. _sessions[(index + 1)..]];
            }

            last = _sessions.Length == 0 && _joining.Count == 0 && !_stopping;
            if (last)
            {
                _stopping = true;
            }
        }

        if (last)
        {
            CancelLoop();
        }
    }

    /// <summary>
    /// Starts serving; called once the first session is attached, so the hub's cached GOP (the
    /// subscription's first units) reaches it. From then on the publishing thread dispatches each
    /// unit as it publishes it (<see cref="OnUnitsOffered"/>); the feed's loop dispatches only what
    /// that thread left to it, and ends the feed.
    /// </summary>
    public void Start()
    {
        _logger.FeedStarted(Hub.Name, _packetizer.Ssrc);
        _subscription.ReaderPolls();
        Hub.UnitsOffered += OnUnitsOffered;
        Hub.Stopped += _wake.Set;
        _ = Task.Run(() => RunAsync(_stop.Token));

        // The cached GOP is queued already, and the hub may have stopped before the handlers were in.
        _wake.Set();
    }

    public void OnSessionSkipping(WebRtcMediaSession session, long drops) => _logger.SessionSkipping(session.Ssrc, Hub.Name, drops);

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
        }

        CancelLoop();
    }

    private void CancelLoop()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The loop already ended on its own (the stream stopped).
        }
    }

    /// <summary>
    /// The hub published: dispatch on the publishing thread, so a frame reaches the sessions with no
    /// thread wake-up. When the loop is dispatching (the cached GOP, a unit this thread could not
    /// take) or a session waits to be started (so that it sees every unit from its join on), the
    /// loop is asked to look again instead, and this thread goes on at once.
    /// </summary>
    private void OnUnitsOffered()
    {
        if (Volatile.Read(ref _joinersPending) || !_dispatchGate.TryEnter())
        {
            _wake.Set();
            return;
        }

        try
        {
            if (!_dispatchClosed && !DrainLocked())
            {
                // The stream ended: the loop stops the feed.
                _wake.Set();
            }
        }
        catch (Exception e)
        {
            // Never into the publisher (the capture loop, the RTSP fan-out after it): the loop stops the feed.
            _dispatchClosed = true;
            Volatile.Write(ref _failure, e);
            _wake.Set();
        }
        finally
        {
            _dispatchGate.Exit();
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var reason = "the stream stopped";
        try
        {
            while (true)
            {
                await _wake.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (Volatile.Read(ref _failure) is { } failure)
                {
                    ExceptionDispatchInfo.Throw(failure);
                }

                lock (_dispatchGate)
                {
                    StartJoiners();
                    if (!DrainLocked())
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            reason = "no sessions left";
        }
        catch (Exception e)
        {
            reason = "failed: " + e.Message;
            _logger.FeedFailed(e, Hub.Name);
        }
        finally
        {
            Stop(reason);
        }
    }

    /// <summary>Dispatches every queued unit; false once the subscription completed (the stream stopped).</summary>
    private bool DrainLocked()
    {
        while (_subscription.TryRead(out var unit))
        {
            try
            {
                Dispatch(unit);
            }
            finally
            {
                unit.Release();
            }
        }

        return !_subscription.IsCompleted;
    }

    private void Dispatch(AccessUnit unit)
    {
        var now = Stopwatch.GetTimestamp();
        _packetizer.Packetize(unit, _block);
        var count = _block.PacketCount;
        if (count == 0)
        {
            return;
        }

        var first = _block.FirstSequenceNumber;
        for (var i = 0; i < count; i++)
        {
            History.Add((ushort)(first + i), _block.GetPacket(i));
        }

        if (unit.IsKeyframe)
        {
            _haveGop = true;
            _gopFirst = first;
            _gopCapture = unit.CaptureTimestamp;
        }

        _lastSequence = (ushort)(first + count - 1);
        var sessions = Volatile.Read(ref _sessions);
        if (sessions.Length == 0)
        {
            return;
        }

        // Session by session, each taking the whole unit: its SRTP context, lock and slots stay hot
        // across the unit's packets, and the packets (a frame, in cache) are read where they lie.
        // The fan-out then sends every session's packets in calls that span sessions.
        foreach (var session in sessions)
        {
            if (session.BeginUnit(unit.IsKeyframe, unit.CaptureTimestamp, first))
            {
                session.SendUnit(_block, first, _fanout);
            }
        }

        _fanout.Flush();
        foreach (var session in sessions)
        {
            session.EndUnit(now, _packetizer);
        }
    }

    /// <summary>Moves sessions that attached since the loop last looked into the fan-out, each started on the feed's GOP when it is young enough, else waiting for a keyframe (asked for by <see cref="WebRtcMediaSession.BeginUnit"/> when the unit is not one).</summary>
    private void StartJoiners()
    {
        WebRtcMediaSession[] joiners;
        lock (_gate)
        {
            if (_joining.Count == 0)
            {
                return;
            }

            joiners = [.. _joining];
            _joining.Clear();
            Volatile.Write(ref _joinersPending, false);
            _sessions = [.. _sessions, .. joiners];
        }

        var gopHeld = _haveGop && History.HoldsRange(_gopFirst, _lastSequence);
        foreach (var session in joiners)
        {
            if (gopHeld && session.BeginUnit(keyframe: true, _gopCapture, _gopFirst))
            {
                var packets = (ushort)(_lastSequence - _gopFirst) + 1;
                for (var i = 0; i < packets; i++)
                {
                    var sequence = (ushort)(_gopFirst + i);
                    var length = History.CopyTo(sequence, _replayBuffer);
                    session.Send(_replayBuffer.AsSpan(0, length), sequence);
                }

                session.Flush();

                _logger.SessionJoined(session.Ssrc, Hub.Name, $"started on the cached GOP ({packets} packets)");
            }
            else
            {
                // The unit being dispatched may be the keyframe it needs (a new feed reads the
                // hub's cached GOP first); if not, BeginUnit asks for one.
                _logger.SessionJoined(session.Ssrc, Hub.Name, "waiting for a keyframe");
            }
        }
    }

    private void Stop(string reason)
    {
        Hub.UnitsOffered -= OnUnitsOffered;
        Hub.Stopped -= _wake.Set;
        WebRtcMediaSession[] sessions;

        // Under the dispatch gate: a publisher mid-dispatch finishes before the crypto goes, and none starts after.
        lock (_dispatchGate)
        {
            _dispatchClosed = true;
            lock (_gate)
            {
                _stopping = true;
                Volatile.Write(ref _stoppedFlag, 1);
                sessions = [.. _sessions, .. _joining];
                _sessions = [];
                _joining.Clear();
            }

            _subscription.Dispose();
            foreach (var session in sessions)
            {
                session.End();
                session.DisposeCrypto();
            }

            _fanout.Dispose();
        }

        _stop.Dispose();
        _logger.FeedStopped(Hub.Name, reason);
        _stopped(this);
    }
}
