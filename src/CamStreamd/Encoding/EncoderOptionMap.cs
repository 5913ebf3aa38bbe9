using System.Globalization;
using CamStreamd.Configuration;
using CamStreamd.Media;

namespace CamStreamd.Encoding;

/// <summary>
/// The one place where the stream's encoder settings (size, bitrate, GOP, profile, level, rate
/// control, QP) become the exact AVOptions of each engine's FFmpeg encoder. Pure: tests compare
/// the lists verbatim.
/// </summary>
/// <remarks>
/// Common to the hardware engines: <c>time_base</c> is 1/fps and pts counts frames, because
/// h264_rkmpp, h264_vaapi and h264_v4l2m2m take the frame rate for rate control from
/// <c>AVCodecContext.framerate</c> (a struct field, not an option) or else from 1/time_base.
/// libx264 keeps the 90 kHz time base with the rate in <c>x264-params fps=</c>. Every engine gets
/// <c>bf 0</c> (no B-frames: no reordering delay, pts order = output order) and a fixed GOP.
/// Rate control: <c>cbr</c> sets maxrate = bitrate, <c>vbr</c> caps at twice the bitrate,
/// <c>cqp</c> drops the bitrate for a fixed QP.
/// </remarks>
public static class EncoderOptionMap
{
    /// <summary>The QP floor of the hardware engines' bitrate modes (keeps static scenes from wasting bits).</summary>
    public const int HardwareQpMin = 10;

    /// <summary>The QP ceiling of the hardware engines' bitrate modes (H.264's maximum).</summary>
    public const int HardwareQpMax = 51;

    /// <summary>Raw frames the V4L2 M2M encoder queues on its input (FFmpeg's minimum, 6: least memory and delay).</summary>
    public const int V4l2m2mOutputBuffers = 6;

    /// <summary>Encoded buffers the V4L2 M2M encoder queues on its output (FFmpeg's minimum, 4).</summary>
    public const int V4l2m2mCaptureBuffers = 4;

    /// <summary>The FFmpeg encoder name of <paramref name="engine"/>.</summary>
    public static string CodecName(string engine) => engine switch
    {
        EncoderEngines.X264 => "libx264",
        EncoderEngines.Rkmpp => "h264_rkmpp",
        EncoderEngines.V4l2m2m => "h264_v4l2m2m",
        EncoderEngines.Vaapi => "h264_vaapi",
        _ => throw new ArgumentException($"engine '{engine}' has no FFmpeg encoder", nameof(engine)),
    };

    /// <summary>The FFmpeg name of a raw pixel format (<c>pixel_format</c> option values).</summary>
    public static string PixelFormatName(int avPixelFormat) => avPixelFormat switch
    {
        Interop.FFmpeg.FFmpegConstants.AV_PIX_FMT_YUV420P => "yuv420p",
        Interop.FFmpeg.FFmpegConstants.AV_PIX_FMT_NV12 => "nv12",
        Interop.FFmpeg.FFmpegConstants.AV_PIX_FMT_YUYV422 => "yuyv422",
        Interop.FFmpeg.FFmpegConstants.AV_PIX_FMT_VAAPI => "vaapi",
        _ => throw new ArgumentOutOfRangeException(nameof(avPixelFormat), avPixelFormat, "no name for this pixel format"),
    };

    /// <summary>
    /// The options for <paramref name="engine"/>, in the order they are set;
    /// <paramref name="pixelFormat"/> is the AVPixelFormat the context is opened with.
    /// </summary>
    public static IReadOnlyList<CodecOption> Build(string engine, EncoderSettings settings, int pixelFormat)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var options = new List<CodecOption>
        {
            new("video_size", Invariant($"{settings.Width}x{settings.Height}")),
            new("pixel_format", PixelFormatName(pixelFormat)),
            new("time_base", engine == EncoderEngines.X264 ? Invariant($"1/{AccessUnit.ClockRate}") : Invariant($"1/{settings.Fps}")),
        };

        switch (engine)
        {
            case EncoderEngines.X264:
                AddX264(options, settings);
                break;
            case EncoderEngines.Rkmpp:
                AddRkmpp(options, settings);
                break;
            case EncoderEngines.V4l2m2m:
                AddV4l2m2m(options, settings);
                break;
            case EncoderEngines.Vaapi:
                AddVaapi(options, settings);
                break;
            default:
                throw new ArgumentException($"engine '{engine}' has no FFmpeg encoder", nameof(engine));
        }

        return options;
    }

    private static void AddBitrate(List<CodecOption> options, EncoderSettings settings, bool withBufsize)
    {
        if (settings.RateControl == "cqp")
        {
            return;
        }

        var max = settings.RateControl == "vbr" ? 2 * settings.Bitrate : settings.Bitrate;
        options.Add(new("b", Invariant($"{settings.Bitrate}")));
        options.Add(new("maxrate", Invariant($"{max}")));
        if (withBufsize)
        {
            // A one-second VBV buffer at the max rate.
            options.Add(new("bufsize", Invariant($"{max}")));
        }
    }

    private static void AddGop(List<CodecOption> options, EncoderSettings settings)
    {
        options.Add(new("g", Invariant($"{settings.Gop}")));
        options.Add(new("bf", "0"));
    }

    private static void AddX264(List<CodecOption> options, EncoderSettings settings)
    {
        AddBitrate(options, settings, withBufsize: true);
        AddGop(options, settings);
        options.Add(new("threads", Invariant($"{settings.EffectiveThreads}")));
        if (settings.Level is not null)
        {
            // libx264 reads the generic AVCodecContext level (level_idc: 4.1 -> 41).
            options.Add(new("level", LevelIdc(settings.Level)));
        }

        options.Add(new("preset", settings.Preset, Private: true));
        options.Add(new("tune", "zerolatency", Private: true));
        options.Add(new("profile", settings.Profile, Private: true));

        // With forced-idr, a frame sent with pict_type I becomes an IDR (not just an I-frame).
        options.Add(new("forced-idr", "1", Private: true));
        if (settings.RateControl == "cqp")
        {
            options.Add(new("qp", Invariant($"{settings.Qp}"), Private: true));
        }

        // x264's profile is only a ceiling: ultrafast turns CABAC and the 8x8 transform off, which
        // would make every stream Constrained Baseline. Turn on what the configured profile names,
        // so the SPS (and the SDP built from it) says what the user asked for.
        if (settings.Profile is "main" or "high")
        {
            options.Add(new("coder", "1", Private: true));
        }

        if (settings.Profile is "high")
        {
            options.Add(new("8x8dct", "1", Private: true));
        }

        // 0 disables scene-cut IDRs: keyframes come every Gop frames or on request, nothing else.
        options.Add(new("sc_threshold", "0", Private: true));

        // AVCodecContext.framerate is a struct field, not an option. Without it libx264 would
        // take the fps from time_base (90000) and zerolatency's rate control (b_vfr_input=0)
        // would budget bits per 1/90000 s; x264-params is applied after that default.
        options.Add(new("x264-params", Invariant($"fps={settings.Fps}"), Private: true));
    }

    private static void AddRkmpp(List<CodecOption> options, EncoderSettings settings)
    {
        AddBitrate(options, settings, withBufsize: false);
        AddGop(options, settings);

        // ffmpeg-rockchip: without low_delay the encoder queues frames before returning packets.
        options.Add(new("flags", "+low_delay"));
        options.Add(new("rc_mode", settings.RateControl.ToUpperInvariant(), Private: true));
        AddQpRange(options, settings, "qp_init", "qp_min", "qp_max");
        options.Add(new("profile", settings.Profile, Private: true));
        if (settings.Level is not null)
        {
            options.Add(new("level", settings.Level, Private: true));
        }
    }

    private static void AddV4l2m2m(List<CodecOption> options, EncoderSettings settings)
    {
        // The V4L2 encoder API has one bitrate control (no CBR/VBR switch in FFmpeg's wrapper): vbr
        // differs only in maxrate, which the wrapper ignores; cqp pins the driver's min/max QP.
        if (settings.RateControl != "cqp")
        {
            options.Add(new("b", Invariant($"{settings.Bitrate}")));
        }

        AddGop(options, settings);

        // The wrapper maps the generic AVCodecContext profile (profile_idc numbers) to V4L2 controls.
        options.Add(new("profile", ProfileIdc(settings.Profile)));
        if (settings.Level is not null)
        {
            options.Add(new("level", LevelIdc(settings.Level)));
        }

        if (settings.RateControl == "cqp")
        {
            options.Add(new("qmin", Invariant($"{settings.Qp}")));
            options.Add(new("qmax", Invariant($"{settings.Qp}")));
        }

        options.Add(new("num_output_buffers", Invariant($"{V4l2m2mOutputBuffers}"), Private: true));
        options.Add(new("num_capture_buffers", Invariant($"{V4l2m2mCaptureBuffers}"), Private: true));
    }

    private static void AddVaapi(List<CodecOption> options, EncoderSettings settings)
    {
        AddBitrate(options, settings, withBufsize: false);
        AddGop(options, settings);
        options.Add(new("rc_mode", settings.RateControl.ToUpperInvariant(), Private: true));
        if (settings.RateControl == "cqp")
        {
            options.Add(new("qp", Invariant($"{settings.Qp}"), Private: true));
        }

        // h264_vaapi names baseline "constrained_baseline" (the only baseline VA-API encodes).
        options.Add(new("profile", settings.Profile == "baseline" ? "constrained_baseline" : settings.Profile, Private: true));
        if (settings.Level is not null)
        {
            options.Add(new("level", settings.Level, Private: true));
        }
    }

    private static void AddQpRange(List<CodecOption> options, EncoderSettings settings, string init, string min, string max)
    {
        var cqp = settings.RateControl == "cqp";
        options.Add(new(init, Invariant($"{settings.Qp}"), Private: true));
        options.Add(new(min, Invariant($"{(cqp ? settings.Qp : HardwareQpMin)}"), Private: true));
        options.Add(new(max, Invariant($"{(cqp ? settings.Qp : HardwareQpMax)}"), Private: true));
    }

    // H.264 Annex A profile_idc: Baseline 66, Main 77, High 100.
    private static string ProfileIdc(string profile) => profile switch
    {
        "baseline" => "66",
        "main" => "77",
        _ => "100",
    };

    // level_idc is ten times the level number (Annex A): 4.1 -> 41, 3 -> 30.
    private static string LevelIdc(string level) =>
        Invariant($"{(int)Math.Round(double.Parse(level, CultureInfo.InvariantCulture) * 10)}");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
