namespace CamStreamd.Configuration;

/// <summary><c>streams[i].encoder</c>: H.264 encoding.</summary>
/// <param name="Engine"><c>engine</c>: one of <see cref="EncoderEngines"/>; <c>auto</c> tries usable hardware engines, then x264.</param>
/// <param name="Bitrate"><c>bitrate</c>: bits per second, 10 000..100 000 000.</param>
/// <param name="Gop"><c>gop</c>: frames from one IDR to the next, 1..1000.</param>
/// <param name="Profile"><c>profile</c>: <c>baseline</c>, <c>main</c> or <c>high</c>.</param>
/// <param name="RateControl"><c>rateControl</c>: <c>cbr</c>, <c>vbr</c> (up to twice the bitrate) or <c>cqp</c> (fixed <c>qp</c>, bitrate ignored).</param>
/// <param name="Qp"><c>qp</c>: the QP of <c>cqp</c> and the starting QP of the hardware engines, 0..51.</param>
/// <param name="Level"><c>level</c>: H.264 level limit such as <c>4.1</c>, or null for the encoder's choice.</param>
/// <param name="Device"><c>device</c>: the vaapi engine's DRM render node (default <c>/dev/dri/renderD128</c>).</param>
public sealed record EncoderOptions(
    string Engine = EncoderEngines.Auto,
    int Bitrate = 3_000_000,
    int Gop = 60,
    string Profile = "main",
    string RateControl = "cbr",
    int Qp = 26,
    string? Level = null,
    string Device = "/dev/dri/renderD128");
