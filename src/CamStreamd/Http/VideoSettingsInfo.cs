namespace CamStreamd.Http;

/// <summary>Configured picture size, rate and H.264 settings.</summary>
/// <param name="Width">Pixels.</param>
/// <param name="Height">Pixels.</param>
/// <param name="Fps">Frames per second.</param>
/// <param name="Bitrate">Target bits per second.</param>
/// <param name="Gop">Frames from one IDR to the next.</param>
public sealed record VideoSettingsInfo(int Width, int Height, double Fps, int Bitrate, int Gop);
