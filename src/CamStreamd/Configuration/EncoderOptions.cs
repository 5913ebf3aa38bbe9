namespace CamStreamd.Configuration;

/// <summary><c>streams[i].encoder</c>: H.264 encoding.</summary>
/// <param name="Engine"><c>engine</c>: one of <see cref="EncoderEngines"/>; <c>auto</c> tries usable hardware engines, then x264.</param>
/// <param name="Bitrate"><c>bitrate</c>: bits per second, 10 000..100 000 000.</param>
/// <param name="Gop"><c>gop</c>: frames from one IDR to the next, 1..1000.</param>
/// <param name="Profile"><c>profile</c>: <c>baseline</c>, <c>main</c> or <c>high</c>.</param>
public sealed record EncoderOptions(string Engine = EncoderEngines.Auto, int Bitrate = 3_000_000, int Gop = 60, string Profile = "main");
