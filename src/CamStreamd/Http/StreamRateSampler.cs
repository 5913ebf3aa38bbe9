using CamStreamd.Media;
using CamStreamd.Streams;

namespace CamStreamd.Http;

/// <summary>
/// Measures each stream's frame rates and bitrates: every <see cref="Period"/> it samples the
/// stream's counters into a small ring, and a rate is the change between the oldest sample in
/// the ring (at most <see cref="Window"/> old) and the counters now. Streams that are gone are forgotten.
/// </summary>
internal sealed class StreamRateSampler : IAsyncDisposable
{
    /// <summary>How often the counters are sampled.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>Samples kept per stream: rates cover up to this many periods.</summary>
    public const int Window = 5;

    private readonly StreamSupervisor _supervisor;
    private readonly TimeProvider _time;
    private readonly Dictionary<StreamInstance, Sample[]> _rings = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _tick;

    /// <summary>Creates the sampler; it samples once started.</summary>
    public StreamRateSampler(StreamSupervisor supervisor, TimeProvider time)
    {
        _supervisor = supervisor;
        _time = time;
    }

    /// <summary>Starts sampling in the background.</summary>
    public void Start()
    {
        SampleAll();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The rates of <paramref name="stream"/> now.</summary>
    public StreamRates RatesOf(StreamInstance stream)
    {
        Sample oldest = default;
        lock (_rings)
        {
            if (!_rings.TryGetValue(stream, out var ring))
            {
                return default;
            }

            foreach (var sample in ring)
            {
                if (sample.Timestamp != 0 && (oldest.Timestamp == 0 || sample.Timestamp < oldest.Timestamp))
                {
                    oldest = sample;
                }
            }
        }

        var now = Take(stream.Counters, _time.GetTimestamp());
        var seconds = _time.GetElapsedTime(oldest.Timestamp, now.Timestamp).TotalSeconds;
        if (oldest.Timestamp == 0 || seconds < 0.2)
        {
            return default;
        }

        return new StreamRates(
            Math.Round((now.Captured - oldest.Captured) / seconds, 2),
            Math.Round((now.Encoded - oldest.Encoded) / seconds, 2),
            Math.Round((now.BytesEncoded - oldest.BytesEncoded) * 8 / seconds),
            Math.Round((now.BytesSent - oldest.BytesSent) * 8 / seconds),
            Math.Round(seconds, 3));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(Period, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                SampleAll();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private void SampleAll()
    {
        var streams = _supervisor.Streams;
        var slot = (int)(_tick++ % Window);
        var now = _time.GetTimestamp();
        lock (_rings)
        {
            foreach (var stream in streams)
            {
                if (!_rings.TryGetValue(stream, out var ring))
                {
                    ring = new Sample[Window];
                    _rings.Add(stream, ring);
                }

                ring[slot] = Take(stream.Counters, now);
            }

            foreach (var gone in _rings.Keys.Where(s => !streams.Contains(s)).ToList())
            {
                _rings.Remove(gone);
            }
        }
    }

    private static Sample Take(StreamCounters counters, long timestamp) =>
        new(timestamp, counters.FramesCaptured, counters.FramesEncoded, counters.BytesEncoded, counters.BytesSent);

    private readonly record struct Sample(long Timestamp, long Captured, long Encoded, long BytesEncoded, long BytesSent);
}
