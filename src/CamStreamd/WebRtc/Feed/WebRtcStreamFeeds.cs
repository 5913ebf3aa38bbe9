using CamStreamd.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.WebRtc.Feed;

/// <summary>
/// The WebRTC media feeds of the daemon, one per stream with at least one attached session:
/// each holds one hub subscription, packetizes every access unit once at ≤ 1200-byte payloads and
/// hands each packet to every session of that stream in one pass. The plane attaches a session
/// once its DTLS handshake completed and disposes the session when it ends.
/// </summary>
public sealed class WebRtcStreamFeeds : IDisposable
{
    private readonly Dictionary<StreamHub, WebRtcStreamFeed> _feeds = [];
    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private bool _disposed;

    /// <summary>Creates the registry.</summary>
    public WebRtcStreamFeeds(ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Streams with a running feed.</summary>
    public int ActiveFeeds
    {
        get
        {
            lock (_gate)
            {
                return _feeds.Count;
            }
        }
    }

    /// <summary>
    /// Attaches a session to <paramref name="hub"/>'s feed (starting the feed when it is the
    /// first). The session's first picture comes at once: the feed's cached GOP when it has one,
    /// else the next IDR, which is requested. Dispose the session to detach it.
    /// </summary>
    public WebRtcMediaSession Attach(StreamHub hub, WebRtcMediaSessionSetup setup)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(setup);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_feeds.TryGetValue(hub, out var feed) && feed.TryAttach(setup) is { } session)
            {
                return session;
            }

            // No feed, or one stopping after its last session left: a fresh one.
            feed = new WebRtcStreamFeed(hub, _logger, OnFeedStopped);
            _feeds[hub] = feed;
            var first = feed.TryAttach(setup)!;
            feed.Start();
            return first;
        }
    }

    /// <summary>Stops every feed (their sessions end).</summary>
    public void Dispose()
    {
        WebRtcStreamFeed[] feeds;
        lock (_gate)
        {
            _disposed = true;
            feeds = [.. _feeds.Values];
            _feeds.Clear();
        }

        foreach (var feed in feeds)
        {
            feed.Dispose();
        }
    }

    private void OnFeedStopped(WebRtcStreamFeed feed)
    {
        lock (_gate)
        {
            if (_feeds.TryGetValue(feed.Hub, out var current) && ReferenceEquals(current, feed))
            {
                _feeds.Remove(feed.Hub);
            }
        }
    }
}
