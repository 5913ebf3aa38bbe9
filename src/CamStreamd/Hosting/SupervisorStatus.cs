using System.Diagnostics;
using System.Globalization;
using System.Text;
using CamStreamd.Media;
using CamStreamd.Streams;

namespace CamStreamd.Hosting;

/// <summary>
/// <see cref="IDaemonStatus"/> of the <see cref="StreamSupervisor"/>'s streams: health from each
/// stream's state and last frame time, fps from the encoded-frame counter between two looks.
/// </summary>
public sealed class SupervisorStatus : IDaemonStatus
{
    private readonly StreamSupervisor _supervisor;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Dictionary<StreamInstance, (long Frames, long Timestamp)> _previous = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the view of <paramref name="supervisor"/>; <paramref name="time"/> dates the start grace.</summary>
    public SupervisorStatus(StreamSupervisor supervisor, TimeProvider time)
    {
        _supervisor = supervisor;
        _time = time;
    }

    /// <inheritdoc />
    public DaemonStatusReport Check()
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            var utcNow = _time.GetUtcNow();
            var streams = _supervisor.Streams;
            var unhealthy = new List<string>();
            var settled = true;
            var clients = 0;
            var text = new StringBuilder();
            foreach (var stream in streams)
            {
                var state = stream.State;
                var counters = stream.Counters;
                var sinceStart = stream.StartedAt is { } started ? utcNow - started : TimeSpan.Zero;
                if (!StreamHealth.IsHealthy(state, counters.LastFrameTimestamp, now, sinceStart))
                {
                    unhealthy.Add(stream.Name);
                }

                settled &= state != StreamState.Starting;
                clients += counters.TotalViewers;
                var frames = counters.FramesEncoded;
                var fps = 0.0;
                if (_previous.TryGetValue(stream, out var before) && now > before.Timestamp)
                {
                    fps = (frames - before.Frames) / Stopwatch.GetElapsedTime(before.Timestamp, now).TotalSeconds;
                }

                _previous[stream] = (frames, now);
                text.Append(text.Length == 0 ? "" : ", ")
                    .Append(stream.Name).Append(' ').Append(StreamHealth.Describe(state))
                    .Append(CultureInfo.InvariantCulture, $" {fps:0.0} fps");
            }

            // Forget streams that were removed or rebuilt.
            foreach (var gone in _previous.Keys.Where(k => !streams.Contains(k)).ToList())
            {
                _previous.Remove(gone);
            }

            var status = string.Create(CultureInfo.InvariantCulture, $"{streams.Count} stream(s): {text}; {clients} client(s)");
            return new DaemonStatusReport(unhealthy.Count == 0, settled, status, unhealthy);
        }
    }
}
