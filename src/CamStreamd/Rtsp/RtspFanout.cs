using System.Diagnostics;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Rtsp;

/// <summary>
/// The one send path of a stream's RTSP unicast viewers. Each published unit makes one pass over
/// every viewer, sending what its queue holds without waiting: one <c>sendmmsg</c> per frame per
/// UDP viewer, one write per TCP viewer. The publishing thread (the capture loop, a relay's
/// reader) runs that pass itself as it publishes, so a frame reaches the sockets with no thread
/// wake-up at all; only when a pass is already under way (a join, a drain that ended) does it leave
/// the unit to the fan-out's own loop, which passes again. A viewer whose socket takes only part
/// of a frame leaves the passes: its own drain sends the rest as the socket empties and then hands
/// it back (<see cref="RtspSessionSender"/>), while its hub queue bounds the backlog and drops to
/// the next keyframe. Nothing in a pass waits, so a stalled viewer delays neither the others nor
/// the publisher.
/// </summary>
internal sealed class RtspFanout
{
    /// <summary>Rounds of UDP sends in one pass (a viewer's queue holds at most a GOP or so; more waits for the next pass).</summary>
    private const int MaxUdpRounds = 512;

    private readonly Lock _gate = new();
    private readonly Lock _passGate = new();
    private readonly AsyncAutoResetSignal _signal = new();
    private readonly ILogger _logger;
    private readonly string _stream;
    private readonly CancellationToken _serverStopping;
    private readonly UdpFanoutBatch _udpBatch = new();
    private RtspSessionSender[] _viewers = [];
    private bool _running;
    private long _passes;

    public RtspFanout(StreamHub hub, ILogger logger, CancellationToken serverStopping)
    {
        ArgumentNullException.ThrowIfNull(hub);
        _logger = logger;
        _stream = hub.Name;
        _serverStopping = serverStopping;
        hub.UnitsOffered += OnUnitsOffered;
    }

    /// <summary>Viewers served.</summary>
    public int ViewerCount => Volatile.Read(ref _viewers).Length;

    /// <summary>Passes over the viewers since start (one per published unit, plus joins and drains ending).</summary>
    public long Passes => Interlocked.Read(ref _passes);

    /// <summary><c>sendmmsg</c> calls of the UDP batches (one per frame for all UDP viewers, where each has room).</summary>
    public long UdpSendCalls => _udpBatch.Calls;

    /// <summary>Adds <paramref name="viewer"/> and serves it at once (its queue starts with the cached GOP).</summary>
    public void Add(RtspSessionSender viewer)
    {
        ArgumentNullException.ThrowIfNull(viewer);
        var start = false;
        lock (_gate)
        {
            _viewers = [.. _viewers, viewer];
            if (!_running)
            {
                _running = true;
                start = true;
            }
        }

        if (start)
        {
            _ = Task.Run(RunAsync, CancellationToken.None);
        }

        Signal();
    }

    /// <summary>Removes <paramref name="viewer"/>; once this returns, no pass touches it any more.</summary>
    public void Remove(RtspSessionSender viewer)
    {
        lock (_passGate)
        {
            lock (_gate)
            {
                var index = Array.IndexOf(_viewers, viewer);
                if (index >= 0)
                {
                    _viewers = [.. _viewers[..index], .. _viewers[(index + 1)..]];
                }
            }
        }

        // The loop ends when it finds nobody left.
        Signal();
    }

    /// <summary>The hub published: pass now on the publishing thread, or, while a pass runs, ask the loop for another.</summary>
    private void OnUnitsOffered()
    {
        if (ViewerCount == 0)
        {
            return;
        }

        if (!_passGate.TryEnter())
        {
            Signal();
            return;
        }

        try
        {
            PassLocked();
        }
        finally
        {
            _passGate.Exit();
        }
    }

    /// <summary>Asks for a pass (a unit was offered, a viewer joined, a drain ended).</summary>
    public void Signal() => _signal.Set();

    private async Task RunAsync()
    {
        try
        {
            while (true)
            {
                await _signal.WaitAsync(_serverStopping).ConfigureAwait(false);
                lock (_gate)
                {
                    if (_viewers.Length == 0)
                    {
                        _running = false;
                        return;
                    }
                }

                Pass();
            }
        }
        catch (OperationCanceledException)
        {
            // The server stops; its sessions end on their own.
            lock (_gate)
            {
                _running = false;
            }
        }
        catch (Exception e)
        {
            // A bug outside any one viewer's path: log it and let the next Add start a new loop
            // rather than leave the viewers with a loop that is marked running but gone.
            _logger.FanoutLoopFailed(e, _stream);
            lock (_gate)
            {
                _running = false;
            }
        }
    }

    private void Pass()
    {
        lock (_passGate)
        {
            PassLocked();
        }
    }

    private void PassLocked()
    {
        Interlocked.Increment(ref _passes);
        var now = Stopwatch.GetTimestamp();
        foreach (var viewer in Volatile.Read(ref _viewers))
        {
            try
            {
                viewer.ServeNow(now, _udpBatch);
            }
            catch (Exception e)
            {
                // A bug in one viewer's path must not end the others'.
                _logger.FanoutViewerFailed(e, _stream);
            }
        }

        SendUdpRounds(now);
    }

    /// <summary>
    /// Sends what the UDP viewers staged, then serves again, in rounds, those that still have units
    /// queued (a viewer stages one unit per round: a join's cached GOP, a catch-up); bounded, and
    /// a pass is asked for when rounds are left.
    /// </summary>
    private void SendUdpRounds(long now)
    {
        for (var round = 0; ; round++)
        {
            try
            {
                _udpBatch.Flush(now);
            }
            catch (Exception e)
            {
                _logger.FanoutViewerFailed(e, _stream);
            }

            var again = _udpBatch.TakeAgain();
            if (again.Count == 0)
            {
                return;
            }

            if (round == MaxUdpRounds)
            {
                again.Clear();
                Signal();
                return;
            }

            foreach (var viewer in again)
            {
                try
                {
                    viewer.ServeNow(now, _udpBatch);
                }
                catch (Exception e)
                {
                    _logger.FanoutViewerFailed(e, _stream);
                }
            }

            again.Clear();
        }
    }
}
