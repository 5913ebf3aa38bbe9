using System.Globalization;
using System.Text;
using CamStreamd.Configuration;
using CamStreamd.Media;
using CamStreamd.Streams;

namespace CamStreamd.Http;

/// <summary>
/// <c>GET /metrics</c>: the Prometheus text exposition format 0.0.4, written by hand. Each family
/// gets one <c># HELP</c> and one <c># TYPE</c> line followed by its samples; names carry their unit
/// (<c>_bytes</c>, <c>_seconds</c>) and counters end in <c>_total</c>; label values are escaped
/// (backslash, double quote, line feed).
/// </summary>
internal sealed class MetricsWriter
{
    /// <summary>The content type of format 0.0.4.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly DropReason[] DropReasons = Enum.GetValues<DropReason>();
    private static readonly ViewerProtocol[] Protocols = Enum.GetValues<ViewerProtocol>();
    private static readonly StreamState[] States = Enum.GetValues<StreamState>();

    private readonly StreamSupervisor _supervisor;
    private readonly StreamRateSampler _rates;
    private readonly MjpegProducers _producers;
    private readonly Func<IReadOnlyList<ConnectionBudget>> _budgets;
    private readonly Func<long> _rtspUnanswered;
    private readonly CamStreamd.WebRtc.Plane.WebRtcPlane? _webRtc;

    /// <summary>Creates the writer; <paramref name="budgets"/> gives the connection budgets, <paramref name="rtspUnanswered"/> the RTSP connections closed without a 503.</summary>
    public MetricsWriter(StreamSupervisor supervisor, StreamRateSampler rates, MjpegProducers producers, Func<IReadOnlyList<ConnectionBudget>> budgets, Func<long> rtspUnanswered, CamStreamd.WebRtc.Plane.WebRtcPlane? webRtc = null)
    {
        _webRtc = webRtc;
        _supervisor = supervisor;
        _rates = rates;
        _producers = producers;
        _budgets = budgets;
        _rtspUnanswered = rtspUnanswered;
    }

    /// <summary>The whole exposition, as text.</summary>
    public string Write()
    {
        var streams = _supervisor.Streams;
        var text = new StringBuilder(8192);

        Family(text, "camstreamd_build_info", "gauge", "Version of the running daemon (always 1).");
        Sample(text, "camstreamd_build_info", [("version", BuildInfo.Version)], 1);

        Family(text, "camstreamd_stream_state", "gauge", "1 for the state each stream is in, 0 for the others.");
        foreach (var stream in streams)
        {
            var state = stream.State;
            foreach (var candidate in States)
            {
                Sample(text, "camstreamd_stream_state", [("stream", stream.Name), ("state", Lower(candidate.ToString()))], candidate == state ? 1 : 0);
            }
        }

        Counter(text, streams, "camstreamd_frames_captured_total", "Frames taken from the source.", s => s.Counters.FramesCaptured);
        Counter(text, streams, "camstreamd_frames_encoded_total", "H.264 access units published into the stream's hub.", s => s.Counters.FramesEncoded);
        Counter(text, streams, "camstreamd_frames_sent_total", "Frames sent to viewers, summed over viewers.", s => s.Counters.FramesSent);
        Counter(text, streams, "camstreamd_encoded_bytes_total", "H.264 bytes published into the stream's hub.", s => s.Counters.BytesEncoded);
        Counter(text, streams, "camstreamd_sent_bytes_total", "Bytes sent to viewers (RTP, interleaving and multipart framing included), summed over viewers.", s => s.Counters.BytesSent);
        Counter(text, streams, "camstreamd_encoder_failures_total", "Times the encoder failed and was reopened.", s => s.Counters.EncoderFailures);
        Counter(text, streams, "camstreamd_source_failures_total", "Times the source failed and was reopened.", s => s.Counters.SourceFailures);
        Counter(text, streams, "camstreamd_rtcp_packets_lost_total", "RTP packets lost as RTCP receiver reports said, summed over sessions.", s => s.Counters.RtcpPacketsLost);
        Counter(text, streams, "camstreamd_mjpeg_pictures_total", "JPEG pictures made for MJPEG viewers and snapshots (once per picture, whatever the number of viewers).", s => _producers.Find(s)?.PicturesEncoded ?? 0);

        Family(text, "camstreamd_frames_dropped_total", "counter", "Frames that did not reach a viewer, by reason.");
        foreach (var stream in streams)
        {
            foreach (var reason in DropReasons)
            {
                Sample(text, "camstreamd_frames_dropped_total", [("stream", stream.Name), ("reason", StreamInfoBuilder.Label(reason))], stream.Counters.Dropped(reason));
            }
        }

        Family(text, "camstreamd_clients", "gauge", "Viewers watching now, by protocol.");
        foreach (var stream in streams)
        {
            foreach (var protocol in Protocols)
            {
                Sample(text, "camstreamd_clients", [("stream", stream.Name), ("protocol", MetricsLabel(protocol))], stream.Counters.Viewers(protocol));
            }
        }

        Family(text, "camstreamd_encoder_info", "gauge", "The H.264 engine open for each stream (1), by configured and running engine.");
        foreach (var stream in streams)
        {
            Sample(text, "camstreamd_encoder_info", [("stream", stream.Name), ("configured", stream.Options.Encoder.Engine), ("engine", stream.Pipeline.EncoderEngine ?? "none")], 1);
        }

        Gauge(text, streams, "camstreamd_capture_frames_per_second", "Frames captured per second, measured over the last seconds.", s => _rates.RatesOf(s).CaptureFps);
        Gauge(text, streams, "camstreamd_encode_bits_per_second", "Encoded bits per second, measured over the last seconds.", s => _rates.RatesOf(s).Bitrate);
        Gauge(text, streams, "camstreamd_rtcp_jitter_seconds", "Latest interarrival jitter an RTCP receiver reported.", s => s.Counters.RtcpJitterMicroseconds / 1e6);
        Gauge(text, streams, "camstreamd_configured_width_pixels", "Configured picture width.", s => s.Options.Source.Width);
        Gauge(text, streams, "camstreamd_configured_height_pixels", "Configured picture height.", s => s.Options.Source.Height);
        Gauge(text, streams, "camstreamd_configured_frames_per_second", "Configured frame rate.", s => s.Options.Source.Fps);

        WriteUpstream(text, streams);
        ConnectionBudgetMetrics.Write(text, _budgets(), _rtspUnanswered());
        OutputMetrics.Write(text, streams);
        WebRtcApi.WriteMetrics(text, _webRtc);
        CompositeMetrics.Write(text, streams);
        ProcessMetrics.Write(text);
        return text.ToString();
    }

    /// <summary>Writes the <c># HELP</c> and <c># TYPE</c> lines of a family.</summary>
    internal static void Family(StringBuilder text, string name, string type, string help)
    {
        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
    }

    /// <summary>Writes one sample line.</summary>
    internal static void Sample(StringBuilder text, string name, ReadOnlySpan<(string Name, string Value)> labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                if (i > 0)
                {
                    text.Append(',');
                }

                text.Append(labels[i].Name).Append("=\"");
                foreach (var c in labels[i].Value)
                {
                    _ = c switch
                    {
                        '\\' => text.Append("\\\\"),
                        '"' => text.Append("\\\""),
                        '\n' => text.Append("\\n"),
                        _ => text.Append(c),
                    };
                }

                text.Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(Format(value)).Append('\n');
    }

    /// <summary>A sample value: integers without exponent, NaN and infinities by their exposition names.</summary>
    internal static string Format(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>The upstream families, written only when some stream pulls from an RTSP server.</summary>
    private static void WriteUpstream(StringBuilder text, IReadOnlyList<StreamInstance> streams)
    {
        var pulled = streams.Where(s => s.Counters.Upstream is not null).ToList();
        if (pulled.Count == 0)
        {
            return;
        }

        Family(text, "camstreamd_upstream_state", "gauge", "1 for the state each pulled stream's upstream connection is in, 0 for the others.");
        foreach (var stream in pulled)
        {
            var state = stream.Counters.Upstream!.State;
            foreach (var candidate in Enum.GetValues<UpstreamState>())
            {
                Sample(text, "camstreamd_upstream_state", [("stream", stream.Name), ("state", Lower(candidate.ToString()))], candidate == state ? 1 : 0);
            }
        }

        Counter(text, pulled, "camstreamd_upstream_connect_attempts_total", "Connection attempts to the upstream RTSP server (the first and every retry).", s => s.Counters.Upstream!.ConnectAttempts);
        Counter(text, pulled, "camstreamd_upstream_reconnects_total", "Upstream sessions that reached PLAY after the first.", s => s.Counters.Upstream!.Reconnects);
        Counter(text, pulled, "camstreamd_upstream_failures_total", "Upstream attempts or sessions that failed.", s => s.Counters.Upstream!.Failures);
        Counter(text, pulled, "camstreamd_upstream_packets_total", "RTP packets received from the upstream.", s => s.Counters.Upstream!.PacketsReceived);
        Counter(text, pulled, "camstreamd_upstream_packets_lost_total", "RTP packets from the upstream missing after reordering.", s => s.Counters.Upstream!.PacketsLost);
        Counter(text, pulled, "camstreamd_upstream_keyframe_requests_total", "RTCP picture loss indications sent upstream while waiting for an IDR.", s => s.Counters.Upstream!.KeyframeRequests);
    }

    private static void Counter(StringBuilder text, IReadOnlyList<StreamInstance> streams, string name, string help, Func<StreamInstance, long> value)
    {
        Family(text, name, "counter", help);
        foreach (var stream in streams)
        {
            Sample(text, name, [("stream", stream.Name)], value(stream));
        }
    }

    private static void Gauge(StringBuilder text, IReadOnlyList<StreamInstance> streams, string name, string help, Func<StreamInstance, double> value)
    {
        Family(text, name, "gauge", help);
        foreach (var stream in streams)
        {
            Sample(text, name, [("stream", stream.Name)], value(stream));
        }
    }

    private static string Lower(string name) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name);

    /// <summary>
    /// The <c>protocol</c> label: the API's camelCase names (rtspTcp, mjpeg, ...), except WebRTC,
    /// which is <c>webrtc</c> as issue #16 and docs/HTTP.md name it (one word, like mjpeg; the
    /// API's <c>clients.webRtc</c> keeps the JSON casing).
    /// </summary>
    private static string MetricsLabel(ViewerProtocol protocol) =>
        protocol == ViewerProtocol.WebRtc ? "webrtc" : StreamInfoBuilder.Label(protocol);
}
