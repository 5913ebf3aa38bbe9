using CamStreamd.WebRtc.Dtls;
using CamStreamd.WebRtc.Feed;
using Microsoft.Extensions.Logging;

namespace CamStreamd.WebRtc.Plane;

/// <summary>What every session of the plane shares: our certificate, the stream feeds, the log.</summary>
/// <param name="Certificate">Our DTLS certificate (its fingerprint is in every answer).</param>
/// <param name="Feeds">The per-stream media feeds sessions attach to once DTLS is done.</param>
/// <param name="Logger">The plane's logger.</param>
internal sealed record WebRtcSessionContext(DtlsCertificate Certificate, WebRtcStreamFeeds Feeds, ILogger Logger);
