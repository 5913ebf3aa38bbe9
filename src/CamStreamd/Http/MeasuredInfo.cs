namespace CamStreamd.Http;

/// <summary>Rates measured from counter deltas over the last <paramref name="WindowSeconds"/>.</summary>
/// <param name="Width">Width of the last frame the MJPEG tap saw (the source's real size), or the configured width before any.</param>
/// <param name="Height">Height likewise.</param>
/// <param name="CaptureFps">Frames captured per second.</param>
/// <param name="EncodeFps">Access units encoded per second.</param>
/// <param name="Bitrate">Encoded bits per second.</param>
/// <param name="SendBitrate">Bits per second sent to all viewers together.</param>
/// <param name="WindowSeconds">Length of the window the rates are measured over (0 before the first sample).</param>
public sealed record MeasuredInfo(int Width, int Height, double CaptureFps, double EncodeFps, double Bitrate, double SendBitrate, double WindowSeconds);
