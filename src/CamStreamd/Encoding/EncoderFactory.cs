using CamStreamd.Configuration;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Encoding;

/// <summary>Opens the configured engine: <c>auto</c> through <see cref="EncoderProbe"/>, <c>passthrough</c>, x264 through our libx264 binding, or one FFmpeg hardware engine.</summary>
public sealed class EncoderFactory
{
    private readonly AccessUnitPool _pool;
    private readonly ILoggerFactory _loggerFactory;

    /// <summary>Creates the factory; every encoder rents its units from <paramref name="pool"/>.</summary>
    public EncoderFactory(AccessUnitPool pool, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _pool = pool;
        _loggerFactory = loggerFactory;
    }

    /// <summary>
    /// Opens <paramref name="engine"/> (a value of <see cref="EncoderEngines"/>) with <paramref name="settings"/>.
    /// <c>auto</c> and <c>passthrough</c> follow the frames (<see cref="FormatFollowingEncoder"/>):
    /// H.264 from the camera passes through, other pictures (and the NO SIGNAL placeholder) are
    /// encoded by the engine <c>auto</c> chooses.
    /// </summary>
    public IVideoEncoder Create(string engine, EncoderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (engine is EncoderEngines.Passthrough or EncoderEngines.Auto)
        {
            return new FormatFollowingEncoder(
                engine,
                () => new PassthroughEncoder(_pool, _loggerFactory.CreateLogger<PassthroughEncoder>()),
                () => CreateEncoding(EncoderEngines.Auto, settings),
                startWithPassthrough: engine == EncoderEngines.Passthrough || settings.InputFormat == VideoPixelFormat.H264,
                _loggerFactory.CreateLogger<FormatFollowingEncoder>(),
                (settings.Width, settings.Height));
        }

        return CreateEncoding(engine, settings);
    }

    /// <summary>
    /// <c>x264</c> is libx264 through our own binding (<see cref="X264VideoEncoder"/>: no libavcodec
    /// for I420 sources); the hardware engines go through FFmpeg (<see cref="FFmpegVideoEncoder"/>).
    /// </summary>
    private IVideoEncoder CreateEncoding(string engine, EncoderSettings settings)
    {
        if (engine == EncoderEngines.Auto)
        {
            engine = EncoderProbe.Choose(settings, _loggerFactory.CreateLogger("CamStreamd.Encoding.EncoderProbe"));
        }

        return engine == EncoderEngines.X264
            ? new X264VideoEncoder(settings, _pool, _loggerFactory.CreateLogger<X264VideoEncoder>())
            : new FFmpegVideoEncoder(engine, settings, _pool, _loggerFactory.CreateLogger<FFmpegVideoEncoder>());
    }

    /// <summary>The <see cref="VideoPixelFormat"/> a <c>source.format</c> value delivers (<c>auto</c> and unknown: I420).</summary>
    public static VideoPixelFormat InputFormatOf(string sourceFormat) => sourceFormat switch
    {
        "yuyv" => VideoPixelFormat.Yuyv,
        "nv12" => VideoPixelFormat.Nv12,
        "mjpeg" => VideoPixelFormat.Mjpeg,
        "h264" => VideoPixelFormat.H264,
        _ => VideoPixelFormat.I420,
    };
}
