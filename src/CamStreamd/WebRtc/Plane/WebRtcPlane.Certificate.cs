using CamStreamd.WebRtc.Dtls;
using CamStreamd.WebRtc.Feed;

namespace CamStreamd.WebRtc.Plane;

/// <summary>
/// The plane's DTLS certificate (ECDSA P-256) and media feeds, handed to each session. Both are
/// made on the first offer, not at start: a daemon no browser watches never loads BouncyCastle nor
/// runs its key generation (start to READY and idle RSS, docs/WEBRTC.md). Made once, under the lazy
/// value's lock, so every answer of the daemon's life carries the same fingerprint.
/// </summary>
public sealed partial class WebRtcPlane
{
    private Lazy<WebRtcSessionContext>? _context;

    /// <summary>Our certificate's fingerprint as the answer's a=fingerprint:sha-256 carries it; empty before the first offer.</summary>
    public string LocalFingerprint => Made?.Certificate.Fingerprint.Value ?? "";

    /// <summary>The media feeds (one per stream with sessions); null before the first offer.</summary>
    public WebRtcStreamFeeds? Feeds => Made?.Feeds;

    /// <summary>Whether the certificate has been made (by the first offer).</summary>
    public bool CertificateMade => Made is not null;

    private WebRtcSessionContext? Made => _context is { IsValueCreated: true } context ? context.Value : null;

    partial void OnStarting() => _context = new Lazy<WebRtcSessionContext>(MakeContext, LazyThreadSafetyMode.ExecutionAndPublication);

    private WebRtcSessionContext MakeContext()
    {
        var started = _time.GetTimestamp();
        var certificate = DtlsCertificate.Create();
        WebRtcLog.CertificateMade(_logger, (long)_time.GetElapsedTime(started).TotalMilliseconds, certificate.Fingerprint.Value);
        return new WebRtcSessionContext(certificate, new WebRtcStreamFeeds(_logger), _logger);
    }

    partial void OnSessionCreated(WebRtcSession session)
    {
        session.Context = _context?.Value;
        _ = DtlsFingerprint.TryParse(session.RemoteFingerprint, out var expected);
        session.ExpectedFingerprint = expected;
    }

    partial void OnDisposed() => Made?.Feeds.Dispose();
}
