namespace CamStreamd.Http;

/// <summary>Where to watch a stream.</summary>
/// <param name="Rtsp">The RTSP URL, with the host the HTTP client used.</param>
/// <param name="Mjpeg">The MJPEG path on this server.</param>
/// <param name="Snapshot">The snapshot path on this server.</param>
public sealed record StreamUrls(string? Rtsp, string Mjpeg, string Snapshot);
