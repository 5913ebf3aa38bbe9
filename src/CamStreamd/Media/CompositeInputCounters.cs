using System.Diagnostics;

namespace CamStreamd.Media;

/// <summary>
/// What the API and <c>/metrics</c> show of one composite input: its tile's state (<c>waiting</c>
/// before the first picture, <c>live</c>, <c>holding</c> its last picture, <c>noSignal</c> after
/// <c>holdSeconds</c>), pictures, the rate measured over the last second, the age of the last
/// picture, its decoder engine and failures, and for a pulled camera its upstream counters.
/// Written by the input's thread and the compositor, read by the API; every field is atomic.
/// </summary>
public sealed class CompositeInputCounters
{
    private long _pictures;
    private long _failures;
    private long _lastPictureTicks;
    private long _fpsMillis;
    private string _state = "waiting";
    private string? _decoder;
    private string? _lastError;

    /// <summary>Creates the counters of input <paramref name="name"/>.</summary>
    /// <param name="name">The input's name (its tile's label).</param>
    /// <param name="kind"><c>url</c> (a pulled camera) or <c>stream</c> (a stream of this daemon).</param>
    /// <param name="source">The camera's URL with its password masked, or the stream's name.</param>
    public CompositeInputCounters(string name, string kind, string source)
    {
        Name = name;
        Kind = kind;
        Source = source;
    }

    /// <summary>The input's name.</summary>
    public string Name { get; }

    /// <summary><c>url</c> or <c>stream</c>.</summary>
    public string Kind { get; }

    /// <summary>The URL (password masked) or the stream's name.</summary>
    public string Source { get; }

    /// <summary>The pull session's counters (url inputs), else null.</summary>
    public UpstreamCounters? Upstream { get; init; }

    /// <summary><c>waiting</c>, <c>live</c>, <c>holding</c> or <c>noSignal</c>.</summary>
    public string State => Volatile.Read(ref _state);

    /// <summary>Pictures received (decoded or copied).</summary>
    public long Pictures => Interlocked.Read(ref _pictures);

    /// <summary>Decode, scale and copy failures.</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>The decoder in use (<c>rkmpp</c>, <c>v4l2m2m</c>, <c>software</c>), <c>none</c> for raw frames, null before the first unit.</summary>
    public string? Decoder => Volatile.Read(ref _decoder);

    /// <summary>The last failure's text, or null.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Pictures per second over the last measured second.</summary>
    public double MeasuredFps => Interlocked.Read(ref _fpsMillis) / 1000.0;

    /// <summary>Seconds since the last picture, or null before the first.</summary>
    public double? LastPictureAgeSeconds
    {
        get
        {
            var last = Interlocked.Read(ref _lastPictureTicks);
            return last == 0 ? null : Stopwatch.GetElapsedTime(last).TotalSeconds;
        }
    }

    /// <summary>Counts a picture received now.</summary>
    public void AddPicture()
    {
        Interlocked.Increment(ref _pictures);
        Interlocked.Exchange(ref _lastPictureTicks, Stopwatch.GetTimestamp());
    }

    /// <summary>Counts <paramref name="count"/> failures, the last described by <paramref name="error"/>.</summary>
    public void AddFailures(long count, string? error)
    {
        if (count <= 0)
        {
            return;
        }

        Interlocked.Add(ref _failures, count);
        if (error is not null)
        {
            Volatile.Write(ref _lastError, error);
        }
    }

    /// <summary>Sets the decoder engine.</summary>
    public void SetDecoder(string engine) => Volatile.Write(ref _decoder, engine);

    /// <summary>Sets the tile's state (one of the four strings above; interned constants, no allocation).</summary>
    public void SetState(string state) => Volatile.Write(ref _state, state);

    /// <summary>Sets the measured rate.</summary>
    public void SetMeasuredFps(double fps) => Interlocked.Exchange(ref _fpsMillis, (long)Math.Round(fps * 1000));
}
