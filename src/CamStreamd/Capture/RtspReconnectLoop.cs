using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.Rtsp.Client;

namespace CamStreamd.Capture;

/// <summary>
/// The relay's reconnect schedule, shared by a pulled stream (<see cref="RtspPullSource"/>) and a
/// composite's camera input (<see cref="CompositeRtspInput"/>): run a session until it ends, count
/// and report the failure, and start the next attempt 1, 2, 4 ... 30 s after the previous one
/// started (counted from each attempt's start, so the time an attempt takes and a busy machine's
/// scheduling do not stretch the schedule); a session that played had a working upstream, so the
/// attempt after its loss comes the shortest wait after the loss.
/// </summary>
internal static class RtspReconnectLoop
{
    /// <summary>
    /// Runs <paramref name="runSession"/> again and again until <paramref name="cancellationToken"/>
    /// is cancelled. A failure is added to <paramref name="upstream"/> and handed to
    /// <paramref name="onFailure"/> (reason, seconds until the next attempt) for the caller's log;
    /// <paramref name="afterSession"/> runs after every attempt, failed or not.
    /// </summary>
    public static async Task RunAsync(UpstreamCounters upstream, Func<CancellationToken, Task> runSession, Action<string, double> onFailure, Action? afterSession, CancellationToken cancellationToken)
    {
        var delay = RtspPullSource.InitialRetryDelay;
        while (!cancellationToken.IsCancellationRequested)
        {
            var sessionsBefore = upstream.Sessions;
            var attemptStart = Stopwatch.GetTimestamp();
            try
            {
                await runSession(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (upstream.Sessions > sessionsBefore)
                {
                    delay = RtspPullSource.InitialRetryDelay;
                    attemptStart = Stopwatch.GetTimestamp();
                }

                var reason = e is RtspClientException ? e.Message : $"{e.GetType().Name}: {e.Message}";
                upstream.AddFailure(reason);
                upstream.SetState(UpstreamState.Retrying);
                onFailure(reason, delay.TotalSeconds);
            }
            finally
            {
                afterSession?.Invoke();
            }

            var wait = delay - Stopwatch.GetElapsedTime(attemptStart);
            try
            {
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }

            delay = RtspPullSource.NextRetryDelay(delay);
        }
    }
}
