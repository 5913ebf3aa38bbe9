using CamStreamd.Capture;
using CamStreamd.Configuration;
using CamStreamd.Encoding;
using CamStreamd.Media;
using CamStreamd.Rtp;
using CamStreamd.Rtsp.Client;
using CamStreamd.Streams;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Streams;

/// <summary>
/// Turns one configured stream into its running parts: a <see cref="StreamHub"/> (with the
/// stream's RTP packetizer, registered by name) and the <see cref="StreamPipeline"/> that feeds
/// it.
/// </summary>
public sealed class StreamFactory
{
    /// <summary>Frames cached beyond one configured GOP (IDR requests only ever shorten a GOP).</summary>
    private const int GopCacheMargin = 30;

    /// <summary>Environment variable naming a raw H.264 file that replaces every stream's source (bench/ only; see <see cref="H264FileSource"/>).</summary>
    public const string BenchH264Variable = "CAMSTREAMD_BENCH_H264";

    private readonly ILoggerFactory _loggerFactory;
    private readonly AccessUnitPool _pool;
    private readonly StreamHubRegistry _registry;

    /// <summary>Creates the factory.</summary>
    public StreamFactory(ILoggerFactory loggerFactory, AccessUnitPool pool, StreamHubRegistry registry)
    {
        _loggerFactory = loggerFactory;
        _pool = pool;
        _registry = registry;
    }

    /// <summary>The other streams' raw frames for composite inputs <c>{"stream": name}</c> (null: such tiles show NO SIGNAL).</summary>
    public ICompositeFrameTap? FrameTap { get; set; }

    /// <summary>Builds and registers the hub of <paramref name="stream"/> and returns its pipeline.</summary>
    public StreamPipeline Create(StreamOptions stream, RtspOptions rtsp)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(rtsp);
        var source = stream.Source;
        var maxFrameLength = rtsp.EffectiveMaxFrameLength(stream);
        var hub = new StreamHub(
            stream.Name,
            source.Width,
            source.Height,
            source.Fps,
            maxFrameLength,
            stream.Encoder.Gop + GopCacheMargin,
            H264RtpPacketizer.CreateRandom());
        if (!_registry.TryAdd(hub))
        {
            hub.Dispose();
            throw new InvalidOperationException($"stream '{stream.Name}' is registered twice");
        }

        var settings = new EncoderSettings(
            source.Width,
            source.Height,
            (int)Math.Round(source.Fps),
            stream.Encoder.Bitrate,
            stream.Encoder.Gop,
            stream.Encoder.Profile)
        {
            RateControl = stream.Encoder.RateControl,
            Qp = stream.Encoder.Qp,
            Level = stream.Encoder.Level,
            Device = stream.Encoder.Device,
            // A pulled stream is relayed: its frames are H.264, only the placeholder is encoded.
            InputFormat = source.Type == SourceTypes.Rtsp ? VideoPixelFormat.H264 : EncoderFactory.InputFormatOf(source.Format),
        };
        if (source.Type == SourceTypes.Rtsp)
        {
            hub.Counters.Upstream = new UpstreamCounters();
        }

        var encoders = new EncoderFactory(_pool, _loggerFactory);
        StreamPipeline? pipeline = null;
        pipeline = new StreamPipeline(
            hub,
            () => CreateSource(stream, hub.Counters, maxFrameLength, state => pipeline?.SetState(state)),
            () => encoders.Create(stream.Encoder.Engine, settings),
            _loggerFactory.CreateLogger<StreamPipeline>());
        return pipeline;
    }

    /// <summary>Creates and starts the publish targets and recorder of <paramref name="stream"/> on <paramref name="hub"/>.</summary>
    public StreamOutputs CreateOutputs(StreamOptions stream, StreamHub hub) => StreamOutputs.Start(stream, hub, _loggerFactory);

    /// <summary>
    /// The source of <paramref name="stream"/>: a V4L2 camera behind the NO SIGNAL fallback, an
    /// upstream RTSP server relayed (with its own NO SIGNAL fallback and reconnects), or the test pattern.
    /// </summary>
    private IVideoSource CreateSource(StreamOptions stream, StreamCounters counters, int maxFrameLength, Action<StreamState> stateChanged)
    {
        var source = stream.Source;
        if (Environment.GetEnvironmentVariable(BenchH264Variable) is { Length: > 0 } clip)
        {
            // bench/ only: every stream plays this H.264 file, the bytes the peer server is fed.
            return new H264FileSource(clip, source.Width, source.Height, source.Fps);
        }

        if (source.Type == SourceTypes.Rtsp)
        {
            var pull = new RtspPullOptions(source.Url!, source.Transport, source.Username, source.Password, maxFrameLength);
            return new RtspPullSource(pull, stream.Name, source.Width, source.Height, source.Fps, counters, stateChanged, _loggerFactory.CreateLogger<RtspPullSource>());
        }

        if (source.Type == SourceTypes.Composite)
        {
            return CompositeSourceBuilder.Create(stream, counters, maxFrameLength, FrameTap, _loggerFactory);
        }

        if (source.Type != SourceTypes.V4l2)
        {
            return new TestPatternSource(source.Width, source.Height, source.Fps, TimeProvider.System, _loggerFactory.CreateLogger<TestPatternSource>());
        }

        var options = new V4l2SourceOptions(source.Device, source.Format, source.Width, source.Height, source.Fps, stream.Encoder.Engine);
        var logger = _loggerFactory.CreateLogger<V4l2Source>();
        return new ResilientCameraSource(
            () => V4l2Source.Open(options, logger: logger, counters: counters),
            source.Device,
            source.Width,
            source.Height,
            source.Fps,
            stateChanged,
            _loggerFactory.CreateLogger<ResilientCameraSource>());
    }
}
