using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.Streams;

namespace CamStreamd.Streams;

/// <summary>
/// Whether one stream's pipeline counts as healthy for the systemd watchdog: frames (camera or
/// "NO SIGNAL" placeholder) are flowing, or it was stopped on purpose, or it is still within its
/// start grace. A failed pipeline, or one whose last frame is older than <see cref="StallLimit"/>, is not.
/// </summary>
public static class StreamHealth
{
    /// <summary>Longest gap since the last frame that still counts as flowing.</summary>
    public static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(10);

    /// <summary>How long a started pipeline may take to its first frame (opening a camera and encoder).</summary>
    public static readonly TimeSpan StartGrace = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The verdict for a stream in <paramref name="state"/> whose last frame was at
    /// <paramref name="lastFrameTimestamp"/> (<see cref="Stopwatch"/> ticks, 0 = none yet), at
    /// <paramref name="nowTimestamp"/>, started <paramref name="sinceStart"/> ago.
    /// </summary>
    public static bool IsHealthy(StreamState state, long lastFrameTimestamp, long nowTimestamp, TimeSpan sinceStart)
    {
        switch (state)
        {
            case StreamState.Stopped:
                return true;
            case StreamState.Failed:
                return false;
        }

        if (lastFrameTimestamp == 0)
        {
            return sinceStart <= StartGrace;
        }

        return Stopwatch.GetElapsedTime(lastFrameTimestamp, nowTimestamp) <= StallLimit;
    }

    /// <summary>How <paramref name="state"/> reads in STATUS= and logs.</summary>
    public static string Describe(StreamState state) => state switch
    {
        StreamState.Starting => "starting",
        StreamState.Running => "running",
        StreamState.NoSignal => "waiting for its camera (placeholder)",
        StreamState.Failed => "failed, retrying",
        StreamState.Stopped => "stopped",
        _ => state.ToString(),
    };
}
