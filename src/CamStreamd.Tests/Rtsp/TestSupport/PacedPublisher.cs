using System.Diagnostics;
using CamStreamd.Media;

namespace CamStreamd.Tests.Rtsp.TestSupport;

/// <summary>Publishes a clip's access units into a hub at its frame rate, looping, from a background task.</summary>
internal sealed class PacedPublisher : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _task;

    public PacedPublisher(StreamHub hub, H264Clip clip, double fps)
    {
        _task = Task.Run(() => RunAsync(hub, clip, fps, _cts.Token));
    }

    public long Published { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        await _task.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _cts.Dispose();
    }

    private async Task RunAsync(StreamHub hub, H264Clip clip, double fps, CancellationToken cancellationToken)
    {
        var pool = new AccessUnitPool(64 * 1024, 512);
        var start = Stopwatch.GetTimestamp();
        var interval = TimeSpan.FromSeconds(1 / fps);
        long frame = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var (data, keyframe) = clip.Units[(int)(frame % clip.Units.Count)];
            var unit = pool.Rent();
            // Stamped with its scheduled time, as a camera stamps a frame when it is taken: a
            // publisher that was held up and catches up still gives every unit its own time.
            var scheduled = start + (long)(frame * Stopwatch.Frequency / fps);
            unit.Set(data, scheduled, keyframe, frame);
            hub.Publish(unit);
            Published = ++frame;
            var due = interval * frame - Stopwatch.GetElapsedTime(start);
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
