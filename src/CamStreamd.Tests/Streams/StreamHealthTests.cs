using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.Streams;

namespace CamStreamd.Tests.Streams;

/// <summary>When a pipeline counts as healthy for the watchdog.</summary>
public sealed class StreamHealthTests
{
    private static readonly long Now = 1_000 * Stopwatch.Frequency;

    [Theory]
    [InlineData(StreamState.Running, 1.0, true)]
    [InlineData(StreamState.NoSignal, 1.0, true)] // the placeholder flows
    [InlineData(StreamState.Running, 11.0, false)] // stalled
    [InlineData(StreamState.Failed, 0.1, false)]
    [InlineData(StreamState.Stopped, 999.0, true)] // stopped on purpose
    public void Verdict_follows_state_and_last_frame_age(StreamState state, double secondsSinceFrame, bool healthy)
    {
        var lastFrame = Now - (long)(secondsSinceFrame * Stopwatch.Frequency);

        Assert.Equal(healthy, StreamHealth.IsHealthy(state, lastFrame, Now, TimeSpan.FromMinutes(5)));
    }

    [Theory]
    [InlineData(5, true)]
    [InlineData(21, false)]
    public void A_stream_without_frames_is_healthy_only_within_its_start_grace(int secondsSinceStart, bool healthy) =>
        Assert.Equal(healthy, StreamHealth.IsHealthy(StreamState.Starting, 0, Now, TimeSpan.FromSeconds(secondsSinceStart)));
}
