namespace CamStreamd.Encoding;

/// <summary>What an H.264 encoder is opened with (options only; no runtime state).</summary>
/// <param name="Width">Picture width in pixels (even: 4:2:0 chroma).</param>
/// <param name="Height">Picture height in pixels (even).</param>
/// <param name="Fps">Nominal frame rate; drives rate control (timestamps are 90 kHz capture times).</param>
/// <param name="Bitrate">Target bitrate in bit/s; also the VBV max rate, with a one-second buffer.</param>
/// <param name="Gop">Frames from one IDR to the next (keyframe interval).</param>
/// <param name="Profile">H.264 profile: <c>baseline</c>, <c>main</c> or <c>high</c>.</param>
/// <param name="Preset">x264 speed preset; <c>ultrafast</c> or <c>superfast</c> on small boards.</param>
public sealed record EncoderSettings(
    int Width, int Height, int Fps, long Bitrate, int Gop, string Profile = "main", string Preset = "ultrafast")
{
    /// <summary>The profiles every engine accepts.</summary>
    public static IReadOnlyList<string> Profiles { get; } = ["baseline", "main", "high"];

    /// <summary>x264's speed presets, fastest first.</summary>
    public static IReadOnlyList<string> Presets { get; } =
        ["ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow", "slower", "veryslow", "placebo"];

    /// <summary>Rate-control modes every engine maps: constant bitrate, variable bitrate (capped at twice the target), constant QP.</summary>
    public static IReadOnlyList<string> RateControls { get; } = ["cbr", "vbr", "cqp"];

    /// <summary>H.264 levels an engine may be limited to (<c>null</c> lets the encoder choose).</summary>
    public static IReadOnlyList<string> Levels { get; } =
        ["1", "1.1", "1.2", "1.3", "2", "2.1", "2.2", "3", "3.1", "3.2", "4", "4.1", "4.2", "5", "5.1", "5.2"];

    /// <summary>Rate control: <c>cbr</c>, <c>vbr</c> or <c>cqp</c>.</summary>
    public string RateControl { get; init; } = "cbr";

    /// <summary>The quantizer for <c>cqp</c>, and the starting QP of the hardware engines' rate control (0..51).</summary>
    public int Qp { get; init; } = 26;

    /// <summary>H.264 level limit (<c>4.1</c>), or null for the encoder's choice.</summary>
    public string? Level { get; init; }

    /// <summary>The device node of engines that take one (vaapi: the DRM render node).</summary>
    public string? Device { get; init; }

    /// <summary>The pixel format the source is expected to deliver; the encoder opens with it when it can take it as is.</summary>
    public Media.VideoPixelFormat InputFormat { get; init; } = Media.VideoPixelFormat.I420;

    /// <summary>Encoder threads; 0 picks min(processor count, 4). With zerolatency they are slice threads (no added delay).</summary>
    public int Threads { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        // x264 with 4:2:0 input needs even dimensions; 16384 is far above any H.264 level limit we serve.
        if (Width <= 0 || Height <= 0 || Width % 2 != 0 || Height % 2 != 0 || Width > 16384 || Height > 16384)
        {
            throw new ArgumentException($"Width and Height must be positive, even and at most 16384 (got {Width}x{Height})", nameof(Width));
        }

        if (Fps is <= 0 or > 1000)
        {
            throw new ArgumentException($"Fps must be 1..1000 (got {Fps})", nameof(Fps));
        }

        if (Bitrate <= 0)
        {
            throw new ArgumentException($"Bitrate must be positive (got {Bitrate})", nameof(Bitrate));
        }

        if (Gop <= 0)
        {
            throw new ArgumentException($"Gop must be positive (got {Gop})", nameof(Gop));
        }

        if (!Profiles.Contains(Profile))
        {
            throw new ArgumentException($"Profile must be one of {string.Join(", ", Profiles)} (got '{Profile}')", nameof(Profile));
        }

        if (!Presets.Contains(Preset))
        {
            throw new ArgumentException($"Preset must be one of {string.Join(", ", Presets)} (got '{Preset}')", nameof(Preset));
        }

        if (!RateControls.Contains(RateControl))
        {
            throw new ArgumentException($"RateControl must be one of {string.Join(", ", RateControls)} (got '{RateControl}')", nameof(RateControl));
        }

        if (Qp is < 0 or > 51)
        {
            throw new ArgumentException($"Qp must be 0..51 (got {Qp})", nameof(Qp));
        }

        if (Level is not null && !Levels.Contains(Level))
        {
            throw new ArgumentException($"Level must be one of {string.Join(", ", Levels)} (got '{Level}')", nameof(Level));
        }

        if (Threads < 0)
        {
            throw new ArgumentException($"Threads must be 0 (auto) or positive (got {Threads})", nameof(Threads));
        }
    }

    /// <summary>The thread count to open the encoder with.</summary>
    public int EffectiveThreads => Threads > 0 ? Threads : Math.Clamp(Environment.ProcessorCount, 1, 4);
}
