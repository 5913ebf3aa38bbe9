namespace CamStreamd.Http;

/// <summary>The stream's shared MJPEG producer (JPEG pictures are encoded once, whatever the number of viewers).</summary>
/// <param name="Active">True while it runs (someone watches MJPEG or takes a snapshot).</param>
/// <param name="Fps">Configured pictures per second.</param>
/// <param name="Quality">Configured JPEG quality.</param>
/// <param name="PicturesEncoded">JPEG pictures made since the stream was created.</param>
/// <param name="EncodeFailures">Pictures that failed to encode.</param>
public sealed record MjpegInfo(bool Active, double Fps, int Quality, long PicturesEncoded, long EncodeFailures);
