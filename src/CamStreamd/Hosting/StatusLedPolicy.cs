using System.Diagnostics;
using CamStreamd.Gpio;
using CamStreamd.Media;
using CamStreamd.Streams;

namespace CamStreamd.Hosting;

/// <summary>
/// What the status light shows for the streams (<c>gpio.statusLed</c>): lit while every started
/// stream delivers (running, its last frame within <see cref="StreamHealth.StallLimit"/>), blinking
/// while one is starting, shows NO SIGNAL, has failed and is retrying, or has stalled. A stream
/// stopped through the API does not count; with no started stream the light is lit (the daemon is up).
/// </summary>
public static class StatusLedPolicy
{
    /// <summary>The mode for <paramref name="streams"/> at <paramref name="nowTimestamp"/> (<see cref="Stopwatch"/> ticks).</summary>
    public static StatusLedMode ModeOf(IEnumerable<StreamInstance> streams, long nowTimestamp)
    {
        ArgumentNullException.ThrowIfNull(streams);
        foreach (var stream in streams)
        {
            if (!IsDelivering(stream.State, stream.Counters.LastFrameTimestamp, nowTimestamp))
            {
                return StatusLedMode.Blinking;
            }
        }

        return StatusLedMode.Lit;
    }

    /// <summary>The mode for streams seen as (state, last frame timestamp) pairs at <paramref name="nowTimestamp"/>.</summary>
    public static StatusLedMode ModeOf(ReadOnlySpan<(StreamState State, long LastFrameTimestamp)> streams, long nowTimestamp)
    {
        foreach (var (state, lastFrame) in streams)
        {
            if (!IsDelivering(state, lastFrame, nowTimestamp))
            {
                return StatusLedMode.Blinking;
            }
        }

        return StatusLedMode.Lit;
    }

    /// <summary>
    /// Whether a stream in <paramref name="state"/> whose last frame was at <paramref name="lastFrameTimestamp"/>
    /// (0 = none yet) delivers at <paramref name="nowTimestamp"/>; a stopped stream counts as delivering (nothing is wrong).
    /// </summary>
    public static bool IsDelivering(StreamState state, long lastFrameTimestamp, long nowTimestamp) => state switch
    {
        StreamState.Stopped => true,
        StreamState.Running => lastFrameTimestamp != 0 && Stopwatch.GetElapsedTime(lastFrameTimestamp, nowTimestamp) <= StreamHealth.StallLimit,
        _ => false,
    };
}
