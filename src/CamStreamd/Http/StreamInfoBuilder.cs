using System.Diagnostics;
using System.Text.Json;
using CamStreamd.Configuration;
using CamStreamd.Media;
using CamStreamd.Streams;

namespace CamStreamd.Http;

/// <summary>Builds the API's view of a stream from its options, pipeline, counters and measured rates.</summary>
internal sealed class StreamInfoBuilder
{
    private static readonly DropReason[] DropReasons = Enum.GetValues<DropReason>();
    private static readonly ViewerProtocol[] Protocols = Enum.GetValues<ViewerProtocol>();
    private static readonly string[] DropReasonNames = [.. DropReasons.Select(r => JsonNamingPolicy.CamelCase.ConvertName(r.ToString()))];
    private static readonly string[] ProtocolNames = [.. Protocols.Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.ToString()))];

    private readonly StreamRateSampler _rates;
    private readonly MjpegProducers _producers;
    private readonly MjpegOptions _mjpeg;
    private readonly TimeProvider _time;
    private readonly Func<int?> _rtspPort;

    /// <summary>Creates the builder; <paramref name="rtspPort"/> gives the bound RTSP port once known.</summary>
    public StreamInfoBuilder(StreamRateSampler rates, MjpegProducers producers, MjpegOptions mjpeg, TimeProvider time, Func<int?> rtspPort)
    {
        _rates = rates;
        _producers = producers;
        _mjpeg = mjpeg;
        _time = time;
        _rtspPort = rtspPort;
    }

    /// <summary>The camelCase label of <paramref name="reason"/> (as in the API and metrics).</summary>
    public static string Label(DropReason reason) => DropReasonNames[(int)reason];

    /// <summary>The camelCase label of <paramref name="protocol"/>.</summary>
    public static string Label(ViewerProtocol protocol) => ProtocolNames[(int)protocol];

    /// <summary>The info of <paramref name="stream"/>; <paramref name="host"/> (as the client addressed us, without port) builds the RTSP URL.</summary>
    public StreamInfo Build(StreamInstance stream, string? host)
    {
        var options = stream.Options;
        var source = options.Source;
        var counters = stream.Counters;
        var rates = _rates.RatesOf(stream);
        var producer = _producers.Find(stream);
        var drops = new Dictionary<string, long>(DropReasons.Length);
        foreach (var reason in DropReasons)
        {
            drops[Label(reason)] = counters.Dropped(reason);
        }

        var clients = new Dictionary<string, int>(Protocols.Length + 1);
        foreach (var protocol in Protocols)
        {
            clients[Label(protocol)] = counters.Viewers(protocol);
        }

        clients["total"] = counters.TotalViewers;
        var now = _time.GetUtcNow();
        var startedAt = stream.StartedAt;
        var rtspPort = _rtspPort();
        var (width, height) = producer?.LastFrameSize ?? default;
        if (width == 0)
        {
            (width, height) = (source.Width, source.Height);
        }

        var escaped = Uri.EscapeDataString(stream.Name);
        return new StreamInfo(
            stream.Name,
            stream.State,
            new SourceInfo(
                source.Type,
                source.Type == SourceTypes.V4l2 ? source.Device : null,
                ConfigRedactor.RedactUrl(source.Url),
                source.Format),
            new EncoderInfo(options.Encoder.Engine, stream.Pipeline.EncoderEngine, counters.EncoderFailures),
            new VideoSettingsInfo(source.Width, source.Height, source.Fps, options.Encoder.Bitrate, options.Encoder.Gop),
            new MeasuredInfo(width, height, rates.CaptureFps, rates.EncodeFps, rates.Bitrate, rates.SendBitrate, rates.WindowSeconds),
            new FrameTotalsInfo(
                counters.FramesCaptured,
                counters.FramesEncoded,
                counters.FramesSent,
                counters.BytesEncoded,
                counters.BytesSent,
                counters.SourceFailures,
                counters.RtcpPacketsLost,
                counters.RtcpJitterMicroseconds / 1000.0),
            drops,
            clients,
            new MjpegInfo(producer?.Active ?? false, _mjpeg.Fps, _mjpeg.Quality, producer?.PicturesEncoded ?? 0, producer?.EncodeFailures ?? 0),
            LastFrameTime(counters.LastFrameTimestamp, now),
            startedAt,
            startedAt is { } started ? Math.Round((now - started).TotalSeconds, 3) : 0,
            new StreamUrls(
                host is null || rtspPort is null ? null : $"rtsp://{host}:{rtspPort}/{escaped}",
                $"/streams/{escaped}/mjpeg",
                $"/streams/{escaped}/snapshot.jpg"),
            Upstream(counters.Upstream),
            Inputs(counters.CompositeInputs),
            OutputMetrics.PublishInfo(stream),
            OutputMetrics.RecordingInfo(stream));
    }

    /// <summary>The inputs of a composite stream, or null.</summary>
    private static List<CompositeInputInfo>? Inputs(IReadOnlyList<CompositeInputCounters>? inputs) => inputs?.Select(i => new CompositeInputInfo(
            i.Name,
            i.Kind,
            i.Source,
            i.State,
            Math.Round(i.MeasuredFps, 2),
            i.LastPictureAgeSeconds is { } age ? Math.Round(age, 3) : null,
            i.Decoder,
            i.Pictures,
            i.Failures,
            i.LastError,
            Upstream(i.Upstream)))
        .ToList();

    /// <summary>The upstream part of a pulled stream, or null.</summary>
    private static UpstreamInfo? Upstream(UpstreamCounters? upstream) => upstream is null
        ? null
        : new UpstreamInfo(
            JsonNamingPolicy.CamelCase.ConvertName(upstream.State.ToString()),
            upstream.Transport,
            upstream.ConnectAttempts,
            upstream.Sessions,
            upstream.Reconnects,
            upstream.Failures,
            upstream.LastError,
            upstream.PacketsReceived,
            upstream.PacketsLost,
            upstream.BytesReceived,
            upstream.AccessUnits,
            upstream.AccessUnitsDropped,
            upstream.Keepalives,
            upstream.ReceiverReports,
            upstream.KeyframeRequests);

    /// <summary>Converts the counters' monotonic last-frame time to wall-clock time.</summary>
    private static DateTimeOffset? LastFrameTime(long timestamp, DateTimeOffset now)
    {
        if (timestamp == 0)
        {
            return null;
        }

        return now - Stopwatch.GetElapsedTime(timestamp);
    }
}
