using CamStreamd.Media;
using Microsoft.Extensions.Logging;

namespace CamStreamd.WebRtc.Feed;

/// <summary>The feed of one stream (see <see cref="WebRtcStreamFeeds"/>).</summary>
internal sealed class WebRtcStreamFeed : IDisposable
{
    private readonly ILogger _logger;
    private readonly Action<WebRtcStreamFeed> _stopped;

    public WebRtcStreamFeed(StreamHub hub, ILogger logger, Action<WebRtcStreamFeed> stopped)
    {
        Hub = hub;
        _logger = logger;
        _stopped = stopped;
    }

    public StreamHub Hub { get; }

    public bool IsStopped { get; private set; }

    public WebRtcMediaSession Attach(WebRtcMediaSessionSetup setup) => new(setup, Hub.Name);

    public void Dispose()
    {
        IsStopped = true;
        _stopped(this);
        _ = _logger;
    }
}
