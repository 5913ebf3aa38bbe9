using System.Text;
using CamStreamd.Publish;
using CamStreamd.Streams;

namespace CamStreamd.Http;

/// <summary>
/// The <c>/metrics</c> families of publish targets (labels <c>stream</c> and <c>target</c>, the URL
/// with its password masked) and of the recorder; written only when some stream has them.
/// </summary>
internal static class OutputMetrics
{
    private static readonly PublishState[] States = Enum.GetValues<PublishState>();

    /// <summary>Appends the families to <paramref name="text"/>.</summary>
    public static void Write(StringBuilder text, IReadOnlyList<StreamInstance> streams)
    {
        var targets = streams.SelectMany(s => s.Outputs.Publishers.Select(p => (Stream: s.Name, p.Counters))).ToList();
        if (targets.Count > 0)
        {
            MetricsWriter.Family(text, "camstreamd_publish_state", "gauge", "1 for the state each publish target is in, 0 for the others.");
            foreach (var (stream, counters) in targets)
            {
                foreach (var state in States)
                {
                    MetricsWriter.Sample(text, "camstreamd_publish_state", [("stream", stream), ("target", counters.Url), ("state", Lower(state))], state == counters.State ? 1 : 0);
                }
            }

            Counter(text, targets, "camstreamd_publish_bytes_total", "Bytes written to the publish target.", c => c.BytesSent);
            Counter(text, targets, "camstreamd_publish_frames_total", "Access units sent to the publish target.", c => c.FramesSent);
            Counter(text, targets, "camstreamd_publish_frames_dropped_total", "Access units the publish target's queue dropped (up to the next IDR each time).", c => c.FramesDropped);
            Counter(text, targets, "camstreamd_publish_reconnects_total", "Publish sessions after the first.", c => c.Reconnects);
            Counter(text, targets, "camstreamd_publish_failures_total", "Publish attempts or sessions that failed.", c => c.Failures);
        }

        var recorded = streams.Where(s => s.Outputs.Recorder is not null).ToList();
        if (recorded.Count > 0)
        {
            RecorderFamily(text, recorded, "camstreamd_recording_paused", "gauge", "1 while recording is paused for lack of space.", r => r.Counters.Paused ? 1 : 0);
            RecorderFamily(text, recorded, "camstreamd_recording_segments_total", "counter", "Segments started.", r => r.Counters.Segments);
            RecorderFamily(text, recorded, "camstreamd_recording_frames_total", "counter", "Access units written to segments.", r => r.Counters.FramesWritten);
            RecorderFamily(text, recorded, "camstreamd_recording_bytes_total", "counter", "Bytes of the segments finished.", r => r.Counters.BytesWritten);
            RecorderFamily(text, recorded, "camstreamd_recording_deleted_total", "counter", "Segments deleted for retention or free space.", r => r.Counters.DeletedForRetention + r.Counters.DeletedForSpace);
            RecorderFamily(text, recorded, "camstreamd_recording_failures_total", "counter", "Segment write failures.", r => r.Counters.Failures);
        }
    }

    /// <summary>The API's view of <paramref name="stream"/>'s recorder, or null when it is not recorded.</summary>
    public static RecordingInfo? RecordingInfo(StreamInstance stream) => stream.Outputs.Recorder is not { } recorder
        ? null
        : new RecordingInfo(
            recorder.Store.Directory, recorder.Counters.Paused, recorder.Counters.Segments, recorder.Counters.FramesWritten, recorder.Counters.BytesWritten,
            recorder.Counters.DeletedForRetention, recorder.Counters.DeletedForSpace, recorder.Counters.Failures, recorder.Counters.LastError,
            $"/api/streams/{Uri.EscapeDataString(stream.Name)}/recordings");

    /// <summary>The API's view of <paramref name="stream"/>'s publish targets, or null when it has none.</summary>
    public static IReadOnlyList<PublishTargetInfo>? PublishInfo(StreamInstance stream) => stream.Outputs.Publishers.Count == 0
        ? null
        : [.. stream.Outputs.Publishers.Select(p => p.Counters).Select(c => new PublishTargetInfo(
            c.Url, c.Protocol, c.Transport, Lower(c.State), c.ConnectAttempts, c.Sessions, c.Reconnects, c.Failures, c.LastError, c.FramesSent, c.BytesSent, c.FramesDropped))];

    private static void Counter(StringBuilder text, List<(string Stream, PublishCounters Counters)> targets, string name, string help, Func<PublishCounters, long> value)
    {
        MetricsWriter.Family(text, name, "counter", help);
        foreach (var (stream, counters) in targets)
        {
            MetricsWriter.Sample(text, name, [("stream", stream), ("target", counters.Url)], value(counters));
        }
    }

    private static void RecorderFamily(StringBuilder text, List<StreamInstance> streams, string name, string type, string help, Func<Recording.Recorder, double> value)
    {
        MetricsWriter.Family(text, name, type, help);
        foreach (var stream in streams)
        {
            MetricsWriter.Sample(text, name, [("stream", stream.Name)], value(stream.Outputs.Recorder!));
        }
    }

    private static string Lower(PublishState state) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(state.ToString());
}
