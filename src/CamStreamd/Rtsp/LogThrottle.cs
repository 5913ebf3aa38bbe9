using System.Diagnostics;

namespace CamStreamd.Rtsp;

/// <summary>
/// Lets a repeated event be logged at most once per interval: each call counts one occurrence
/// and says whether to log now, with how many occurrences the line stands for. Thread-safe.
/// </summary>
internal sealed class LogThrottle
{
    private readonly Lock _gate = new();
    private readonly TimeSpan _interval;
    private long _lastLogged;
    private long _pending;

    public LogThrottle(TimeSpan interval) => _interval = interval;

    /// <summary>Counts <paramref name="occurrences"/>; true (with the total since the last log line) when a line is due.</summary>
    public bool Count(long occurrences, out long total)
    {
        lock (_gate)
        {
            _pending += occurrences;
            var now = Stopwatch.GetTimestamp();
            if (_pending > 0 && (_lastLogged == 0 || Stopwatch.GetElapsedTime(_lastLogged, now) >= _interval))
            {
                total = _pending;
                _pending = 0;
                _lastLogged = now;
                return true;
            }

            total = 0;
            return false;
        }
    }
}
