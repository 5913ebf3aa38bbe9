using System.Globalization;

namespace CamStreamd.Encoding;

/// <summary>
/// The stream's encoder settings as libx264's own options (x264_param_parse names), for
/// <see cref="X264VideoEncoder"/>: the same meaning <see cref="EncoderOptionMap"/> gives them for
/// FFmpeg's libx264 wrapper (preset, tune zerolatency, profile last, bitrate with a one-second
/// VBV buffer at the max rate, GOP, no B-frames, no scene-cut IDRs, CABAC and 8x8 transform as
/// the profile names them), plus what the wrapper did for us (Annex-B with SPS/PPS before every
/// IDR, x264's log at warnings) and the small-board memory settings. Pure: tests compare the
/// list verbatim.
/// </summary>
public static class X264OptionMap
{
    /// <summary>The tune every stream gets: no frame delay (no lookahead, no B-frames, sliced threads).</summary>
    public const string Tune = "zerolatency";

    /// <summary>The options in the order they are parsed (the profile is applied after them).</summary>
    public static IReadOnlyList<CodecOption> Build(EncoderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var options = new List<CodecOption>
        {
            // b_vfr_input is 0 under zerolatency: rate control budgets bits per 1/fps.
            new("fps", Invariant($"{settings.Fps}")),
            new("keyint", Invariant($"{settings.Gop}")),
            new("bframes", "0"),

            // 0 disables scene-cut IDRs: keyframes come every Gop frames or on request, nothing else.
            new("scenecut", "0"),
            new("threads", Invariant($"{settings.EffectiveThreads}")),
        };

        if (settings.RateControl == "cqp")
        {
            options.Add(new("qp", Invariant($"{settings.Qp}")));
        }
        else
        {
            // x264 counts kbit/s; vbr caps at twice the target; a one-second VBV buffer at the max rate.
            var max = settings.RateControl == "vbr" ? 2 * settings.Bitrate : settings.Bitrate;
            options.Add(new("bitrate", Invariant($"{settings.Bitrate / 1000}")));
            options.Add(new("vbv-maxrate", Invariant($"{max / 1000}")));
            options.Add(new("vbv-bufsize", Invariant($"{max / 1000}")));
        }

        if (settings.Level is not null)
        {
            options.Add(new("level", settings.Level));
        }

        // x264's profile is only a ceiling: ultrafast turns CABAC and the 8x8 transform off, which
        // would make every stream Constrained Baseline. Turn on what the configured profile names,
        // so the SPS (and the SDP built from it) says what the user asked for.
        if (settings.Profile is "main" or "high")
        {
            options.Add(new("cabac", "1"));
        }

        if (settings.Profile is "high")
        {
            options.Add(new("8x8dct", "1"));
        }

        // Annex-B with start codes, and SPS/PPS before every IDR (a viewer may join at any IDR).
        options.Add(new("annexb", "1"));
        options.Add(new("repeat-headers", "1"));

        // x264 logs to stderr itself (no av_log in between): warnings and errors only (X264_LOG_WARNING).
        options.Add(new("log", "1"));
        return options;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
