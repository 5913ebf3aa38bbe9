using System.Collections.Concurrent;
using System.Globalization;
using CamStreamd.Configuration;
using CamStreamd.Interop.FFmpeg;
using CamStreamd.Interop.X264;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Encoding;

/// <summary>
/// Finds out which engines work here, the way <c>auto</c> chooses: for each of rkmpp, v4l2m2m,
/// vaapi and x264 in that order, is its device node there, is the encoder in this FFmpeg build
/// (x264: does libx264.so.164 load), and does it open and encode <see cref="ProbeFrames"/> frames
/// at the configured size. Results
/// are cached for the process, per picture size.
/// </summary>
public static partial class EncoderProbe
{
    /// <summary>Frames each candidate must encode (hardware encoders may hold one or two before the first packet).</summary>
    public const int ProbeFrames = 5;

    /// <summary>The Rockchip MPP device node that h264_rkmpp opens.</summary>
    public const string RkmppDevice = "/dev/mpp_service";

    private static readonly ConcurrentDictionary<(int Width, int Height), IReadOnlyList<EncoderProbeResult>> Cache = new();

    /// <summary>The order <c>auto</c> tries the engines in.</summary>
    public static IReadOnlyList<string> AutoOrder { get; } =
        [EncoderEngines.Rkmpp, EncoderEngines.V4l2m2m, EncoderEngines.Vaapi, EncoderEngines.X264];

    /// <summary>Probes every engine of <see cref="AutoOrder"/> for <paramref name="settings"/>' size (cached).</summary>
    public static IReadOnlyList<EncoderProbeResult> ProbeAll(EncoderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Cache.GetOrAdd((settings.Width, settings.Height), _ => [.. AutoOrder.Select(engine => ProbeOne(engine, settings))]);
    }

    /// <summary>
    /// Chooses the first usable engine and logs the choice and why each other engine was not
    /// taken. Throws <see cref="FFmpegUnavailableException"/> with every reason when none works.
    /// </summary>
    public static string Choose(EncoderSettings settings, ILogger? logger = null)
    {
        logger ??= NullLogger.Instance;
        var results = ProbeAll(settings);
        var chosen = results.FirstOrDefault(r => r.Usable) ?? throw new FFmpegUnavailableException(
            "no H.264 encoder is usable: " + string.Join("; ", results.Select(r => $"{r.Engine}: {r.Reason}")));
        LogChosen(logger, chosen.Engine, chosen.Codec, settings.Width, settings.Height);
        foreach (var other in results.Where(r => r != chosen))
        {
            LogNotChosen(logger, other.Engine, other.Codec, other.Usable ? $"usable, but {chosen.Engine} comes first" : other.Reason);
        }

        return chosen.Engine;
    }

    /// <summary>
    /// Probes <paramref name="engine"/> now (not cached). A hardware engine whose device node is
    /// missing is settled without loading FFmpeg, and x264 is probed through our libx264 binding:
    /// on a board with no hardware encoder, <c>auto</c> never maps libavcodec.
    /// </summary>
    public static EncoderProbeResult ProbeOne(string engine, EncoderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var codecName = EncoderOptionMap.CodecName(engine);
        if (engine == EncoderEngines.X264)
        {
            return ProbeX264(settings, codecName);
        }

        var missing = MissingDevice(engine, settings);
        if (missing is not null)
        {
            return new(engine, codecName, false, missing);
        }

        FFmpegVersionInfo ffmpeg;
        try
        {
            ffmpeg = FFmpegLibraries.EnsureLoaded();
        }
        catch (FFmpegUnavailableException e)
        {
            return new(engine, codecName, false, e.Message);
        }

        if (LibAvCodec.avcodec_find_encoder_by_name(codecName) == 0)
        {
            return new(engine, codecName, false, $"codec {codecName} is not in this FFmpeg build (libavcodec {ffmpeg.AvcodecVersion})");
        }

        try
        {
            var frames = TestEncode(() => new FFmpegVideoEncoder(engine, settings with { InputFormat = VideoPixelFormat.I420 }, new AccessUnitPool()), settings);
            return Opened(engine, codecName, settings, frames);
        }
        catch (Exception e) when (e is FFmpegException or FFmpegUnavailableException or InvalidOperationException or ArgumentException)
        {
            return new(engine, codecName, false, $"open failed: {e.Message}");
        }
    }

    /// <summary>Formats <paramref name="results"/> as the table <c>camstreamd encoders</c> prints.</summary>
    public static string FormatTable(IReadOnlyList<EncoderProbeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var engineWidth = Math.Max("ENGINE".Length, results.Max(r => r.Engine.Length));
        var codecWidth = Math.Max("CODEC".Length, results.Max(r => r.Codec.Length));
        var text = new System.Text.StringBuilder();
        text.Append("ENGINE".PadRight(engineWidth)).Append("  ").Append("CODEC".PadRight(codecWidth)).Append("  USABLE  REASON\n");
        foreach (var r in results)
        {
            text.Append(r.Engine.PadRight(engineWidth)).Append("  ").Append(r.Codec.PadRight(codecWidth)).Append("  ")
                .Append((r.Usable ? "yes" : "no").PadRight(6)).Append("  ").Append(r.Reason).Append('\n');
        }

        return text.ToString();
    }

    private static string? MissingDevice(string engine, EncoderSettings settings)
    {
        switch (engine)
        {
            case EncoderEngines.Rkmpp:
                return File.Exists(RkmppDevice) ? null : $"device node {RkmppDevice} missing (Rockchip MPP kernel driver not loaded)";
            case EncoderEngines.Vaapi:
                var device = settings.Device ?? FFmpegVideoEncoder.DefaultVaapiDevice;
                return File.Exists(device) ? null : $"device node {device} missing (no DRM render node: GPU driver not loaded)";
            case EncoderEngines.V4l2m2m:
                var scan = V4l2M2mEncoderFinder.Find();
                return scan.Device is not null ? null : string.Create(CultureInfo.InvariantCulture,
                    $"no V4L2 M2M device with H.264 output among /dev/video* ({scan.NodesChecked} nodes checked)");
            default:
                return null;
        }
    }

    private static EncoderProbeResult ProbeX264(EncoderSettings settings, string codecName)
    {
        try
        {
            var frames = TestEncode(() => new X264VideoEncoder(settings with { InputFormat = VideoPixelFormat.I420 }, new AccessUnitPool()), settings);
            return Opened(EncoderEngines.X264, codecName, settings, frames);
        }
        catch (X264UnavailableException e)
        {
            return new(EncoderEngines.X264, codecName, false, e.Message);
        }
        catch (Exception e) when (e is X264Exception or InvalidOperationException or ArgumentException)
        {
            return new(EncoderEngines.X264, codecName, false, $"open failed: {e.Message}");
        }
    }

    private static EncoderProbeResult Opened(string engine, string codecName, EncoderSettings settings, int frames) =>
        new(engine, codecName, true,
            string.Create(CultureInfo.InvariantCulture, $"opened and encoded {ProbeFrames} frames at {settings.Width}x{settings.Height} ({frames} access units)"));

    private static int TestEncode(Func<IVideoEncoder> open, EncoderSettings settings)
    {
        var pool = new VideoFramePool(settings.Width, settings.Height);
        var sink = new CountingSink();
        using var encoder = open();
        for (var i = 0; i < ProbeFrames; i++)
        {
            var frame = pool.Rent();
            frame.Y.Fill((byte)(16 + (i * 8)));
            frame.U.Fill(128);
            frame.V.Fill(128);
            frame.FrameNumber = i;
            frame.CaptureTimestamp = i * System.Diagnostics.Stopwatch.Frequency / settings.Fps;
            try
            {
                encoder.Encode(frame, sink);
            }
            finally
            {
                frame.Release();
            }
        }

        if (sink.Count == 0)
        {
            throw new InvalidOperationException($"no access unit after {ProbeFrames} frames");
        }

        return sink.Count;
    }

    private sealed class CountingSink : IAccessUnitSink
    {
        public int Count { get; private set; }

        public void Publish(AccessUnit unit)
        {
            Count++;
            unit.Release();
        }
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Encoder engine auto: chose {Engine} ({Codec}) for {Width}x{Height}")]
    private static partial void LogChosen(ILogger logger, string engine, string codec, int width, int height);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Information, Message = "Encoder engine auto: not {Engine} ({Codec}): {Reason}")]
    private static partial void LogNotChosen(ILogger logger, string engine, string codec, string reason);
}
