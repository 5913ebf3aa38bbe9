namespace CamStreamd.Configuration;

/// <summary><c>http.mjpeg</c>: the JPEG pictures of <c>/streams/{name}/mjpeg</c> and <c>snapshot.jpg</c>.</summary>
/// <param name="Fps"><c>fps</c>: pictures per second sent to MJPEG viewers, 1..60 (never more than the stream captures).</param>
/// <param name="Quality"><c>quality</c>: JPEG quality, 1 (smallest) .. 100 (best).</param>
public sealed record MjpegOptions(double Fps = 10, int Quality = 80);
