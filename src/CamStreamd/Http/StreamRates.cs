namespace CamStreamd.Http;

/// <summary>Rates of one stream measured from counter deltas.</summary>
/// <param name="CaptureFps">Frames captured per second.</param>
/// <param name="EncodeFps">Access units encoded per second.</param>
/// <param name="Bitrate">Encoded bits per second.</param>
/// <param name="SendBitrate">Bits per second sent to all viewers together.</param>
/// <param name="WindowSeconds">Length of the window measured over; 0 when nothing was measured yet.</param>
internal readonly record struct StreamRates(double CaptureFps, double EncodeFps, double Bitrate, double SendBitrate, double WindowSeconds);
