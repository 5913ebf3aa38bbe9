using CamStreamd.WebRtc.Dtls;
using CamStreamd.WebRtc.Feed;

namespace CamStreamd.WebRtc.Plane;

/// <summary>The plane's DTLS certificate (made at start, ECDSA P-256) and media feeds, handed to each session.</summary>
public sealed partial class WebRtcPlane
{
    private WebRtcSessionContext? _context;

    /// <summary>Our certificate's fingerprint as the answer's a=fingerprint:sha-256 carries it.</summary>
    public string LocalFingerprint => _context?.Certificate.Fingerprint.Value ?? "";

    /// <summary>The media feeds (one per stream with sessions).</summary>
    public WebRtcStreamFeeds? Feeds => _context?.Feeds;

    partial void OnStarting() => _context = new WebRtcSessionContext(DtlsCertificate.Create(), new WebRtcStreamFeeds(_logger), _logger);

    partial void OnSessionCreated(WebRtcSession session)
    {
        session.Context = _context;
        _ = DtlsFingerprint.TryParse(session.RemoteFingerprint, out var expected);
        session.ExpectedFingerprint = expected;
    }

    partial void OnDisposed() => _context?.Feeds.Dispose();
}
