namespace CamStreamd.Configuration;

/// <summary><c>streams[i].encoder</c>: H.264 encoding.</summary>
public sealed record EncoderOptions
{
    /// <summary><c>engine</c>: one of <see cref="EncoderEngines"/>; <c>auto</c> tries usable hardware engines, then x264.</summary>
    public string Engine { get; init; } = EncoderEngines.Auto;

    /// <summary><c>bitrate</c>: bits per second, 10 000..100 000 000.</summary>
    public int Bitrate { get; init; } = 3_000_000;

    /// <summary><c>gop</c>: frames from one IDR to the next, 1..1000.</summary>
    public int Gop { get; init; } = 60;

    /// <summary><c>profile</c>: <c>baseline</c>, <c>main</c> or <c>high</c>.</summary>
    public string Profile { get; init; } = "main";
}
