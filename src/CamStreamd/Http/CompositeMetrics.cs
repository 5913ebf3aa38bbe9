using System.Text;
using CamStreamd.Streams;

namespace CamStreamd.Http;

/// <summary>The per-input families of composite streams, written only when some stream is a composite.</summary>
internal static class CompositeMetrics
{
    private static readonly string[] States = ["waiting", "live", "holding", "noSignal"];

    public static void Write(StringBuilder text, IReadOnlyList<StreamInstance> streams)
    {
        var composites = streams.Where(s => s.Counters.CompositeInputs is { Count: > 0 }).ToList();
        if (composites.Count == 0)
        {
            return;
        }

        MetricsWriter.Family(text, "camstreamd_composite_input_state", "gauge", "1 for the state each composite input's tile is in (waiting, live, holding, noSignal), 0 for the others.");
        foreach (var stream in composites)
        {
            foreach (var input in stream.Counters.CompositeInputs!)
            {
                foreach (var state in States)
                {
                    MetricsWriter.Sample(text, "camstreamd_composite_input_state", [("stream", stream.Name), ("input", input.Name), ("state", state)], input.State == state ? 1 : 0);
                }
            }
        }

        Family(text, composites, "camstreamd_composite_input_pictures_total", "counter", "Pictures a composite input received (decoded or copied).", i => i.Pictures);
        Family(text, composites, "camstreamd_composite_input_failures_total", "counter", "Decode, copy and scale failures of a composite input.", i => i.Failures);
        Family(text, composites, "camstreamd_composite_input_frames_per_second", "gauge", "Pictures per second a composite input received over the last second.", i => i.MeasuredFps);
        Family(text, composites, "camstreamd_composite_input_picture_age_seconds", "gauge", "Seconds since a composite input's last picture (NaN before the first).", i => i.LastPictureAgeSeconds ?? double.NaN);
    }

    private static void Family(StringBuilder text, List<StreamInstance> composites, string name, string type, string help, Func<Media.CompositeInputCounters, double> value)
    {
        MetricsWriter.Family(text, name, type, help);
        foreach (var stream in composites)
        {
            foreach (var input in stream.Counters.CompositeInputs!)
            {
                MetricsWriter.Sample(text, name, [("stream", stream.Name), ("input", input.Name)], value(input));
            }
        }
    }
}
