using System.Diagnostics;
using CamStreamd.Media;

namespace CamStreamd.Rtsp;

/// <summary>The connection's standing in the server's budget and its idle policy.</summary>
internal sealed partial class RtspConnection
{
    /// <summary>
    /// Evictable while it holds no live session and no request is being served: first one that never
    /// sent a complete request (oldest connect first), then one idle the longest since its last request.
    /// A client about to play sends its requests back to back, so it ranks last among the evictable.
    /// </summary>
    public EvictionRank Rank
    {
        get
        {
            if (Volatile.Read(ref _serving) != 0 || Volatile.Read(ref _aborted) != 0 || HasLiveSession())
            {
                return EvictionRank.Never;
            }

            var lastRequest = Volatile.Read(ref _lastRequest);
            return lastRequest == 0
                ? new EvictionRank(true, EvictionRank.NoRequestYet, _connectedAt)
                : new EvictionRank(true, EvictionRank.Idle, lastRequest);
        }
    }

    /// <summary>Marks the connection as over the limit, before <see cref="RunAsync"/>.</summary>
    public void MarkRefused() => _refuse = true;

    /// <inheritdoc />
    public void Evict()
    {
        _logger.ConnectionEvicted(Id, RemoteEndPoint);
        Abort();
    }

    /// <summary>
    /// The idle policy, checked by the server about once a second once the first request was
    /// answered (before it, <see cref="RtspServerOptions.FirstRequestTimeout"/> applies): a
    /// connection that carries no live session and sent no complete request for
    /// <see cref="RtspServerOptions.SessionTimeout"/> (blank lines and RTCP for no session do not
    /// count) is closed, and so is one whose begun request or interleaved frame stays incomplete
    /// for <see cref="RtspServerOptions.PartialMessageTimeout"/>. True when it was closed.
    /// </summary>
    public bool CloseIfIdle(long now)
    {
        var lastRequest = Volatile.Read(ref _lastRequest);
        if (lastRequest == 0 || Volatile.Read(ref _aborted) != 0)
        {
            return false;
        }

        var options = _server.Options;
        var partialSince = Volatile.Read(ref _partialSince);
        if (partialSince != 0 && Stopwatch.GetElapsedTime(partialSince, now) > options.PartialMessageTimeout)
        {
            _logger.PartialMessageTimedOut(Id, RemoteEndPoint, options.PartialMessageTimeout.TotalSeconds);
            Abort();
            return true;
        }

        if (Stopwatch.GetElapsedTime(lastRequest, now) > options.SessionTimeout && !HasLiveSession())
        {
            _logger.IdleConnectionClosed(Id, RemoteEndPoint, options.SessionTimeout.TotalSeconds);
            Abort();
            return true;
        }

        return false;
    }

    /// <summary>True when a session set up on this connection is still in the server's table (a reaped UDP one is not).</summary>
    private bool HasLiveSession()
    {
        lock (_sessionsGate)
        {
            foreach (var session in _sessions)
            {
                if (_server.TryGetSession(session.Id, out var live) && ReferenceEquals(live, session))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
