using CamStreamd.Media;
using CamStreamd.Streams;

namespace CamStreamd.Hosting;

/// <summary>One look at every stream, for the systemd notifications.</summary>
/// <param name="Healthy">Every pipeline is healthy (<see cref="StreamHealth"/>): the watchdog may be fed.</param>
/// <param name="Settled">No stream is still <see cref="StreamState.Starting"/>: each runs, waits for its camera, failed or was stopped.</param>
/// <param name="Status">One line for <c>STATUS=</c>: streams, their state and fps, clients.</param>
/// <param name="UnhealthyStreams">Names of the unhealthy streams (empty when <paramref name="Healthy"/>).</param>
public sealed record DaemonStatusReport(bool Healthy, bool Settled, string Status, IReadOnlyList<string> UnhealthyStreams);
