using System.Diagnostics;
using System.Globalization;
using CamStreamd.Media;
using CamStreamd.Rtp;
using CamStreamd.Rtsp.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Rtsp.Pull;

/// <summary>
/// A playing pull costs only its deadlines. The session pulls a real gst-rtsp-server over TCP and
/// over UDP while its deadlines (receiver reports, keepalives, the media timeout, keyframe
/// requests) run on a <see cref="ManualTimeProvider"/>: with the clock standing still the
/// supervising loop must not wake at all while media flows, and over a stepped minute it may wake
/// only as often as its deadlines fall due. Nothing is timed: the steps wait for media to arrive
/// (real progress), and the counts are of wake-ups, reports and keepalives. Before this test the
/// TCP loop waited on <c>Task.CompletedTask</c> and spun (a core and 300+ MB RSS for one idle relay).
/// </summary>
public sealed class RtspPullIdleTests(ITestOutputHelper output)
{
    /// <summary>Longest real wait for any one sign of progress (the upstream is a live 30 fps stream).</summary>
    private static readonly TimeSpan ProgressTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The stepped period: 12 report deadlines, 2 keepalives (gst-rtsp-server's 60 s session timeout / 2).</summary>
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(500);

    /// <summary>RTP packets that must arrive while the clock stands still (a few frames' worth).</summary>
    private const int StandstillPackets = 60;

    /// <summary>Wake-ups allowed before the first IDR with the clock standing still (first packet, PLI).</summary>
    private const int StartWakeups = 5;

    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task A_playing_pull_wakes_only_at_its_deadlines(string transport)
    {
        await using var upstream = await GstRtspServerProcess.StartAsync(protocols: transport);
        var time = new ManualTimeProvider();
        var counters = new UpstreamCounters();
        var sink = new CountingSink();
        var options = new RtspPullOptions(upstream.Url, transport);
        var session = new RtspPullSession(options, "idle", sink, counters, NullLogger.Instance, viewerRequest: null, time);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => session.RunAsync(stop.Token));
        try
        {
            // 1. Up to the first relayed IDR, the clock standing still: a wake for the first packet and its PLI at most.
            await WaitAsync(() => sink.Keyframes > 0 && session.SupervisorAsleep, "the first IDR (clock standing still)", session, run, 0, StartWakeups, upstream);

            // 2. Media flows, nothing falls due: no wake-up at all.
            var wakeups = session.SuperviseWakeups;
            var packets = counters.PacketsReceived;
            await WaitAsync(() => counters.PacketsReceived >= packets + StandstillPackets, $"{StandstillPackets} RTP packets (clock standing still)", session, run, wakeups, 0, upstream);
            var standstill = session.SuperviseWakeups - wakeups;
            output.WriteLine($"{transport}: {standstill} wake-ups while {counters.PacketsReceived - packets} RTP packets came and the clock stood still");
            Assert.True(standstill == 0, $"{transport}: the supervise loop woke {standstill} times while the clock stood still and {counters.PacketsReceived - packets} RTP packets came (nothing was due)");

            // 3. A minute in steps: wake-ups only at the deadlines that fell due.
            await StepAsync(time, TimeSpan.FromSeconds(2), session, counters, run, session.SuperviseWakeups, long.MaxValue, upstream); // past the first report (1 s after PLAY)
            wakeups = session.SuperviseWakeups;
            var reports = counters.ReceiverReports;
            var keepalives = counters.Keepalives;
            var reportDeadlines = (long)(Period / options.ReportInterval);
            var keepaliveDeadlines = (long)(Period / TimeSpan.FromSeconds(RtspPullSession.DefaultSessionTimeoutSeconds / 2.0));
            var mediaChecks = (long)(Period / options.MediaTimeout) + 1;
            var bound = reportDeadlines + 1 + keepaliveDeadlines + 1 + mediaChecks;
            await StepAsync(time, Period, session, counters, run, wakeups, bound, upstream);

            var woke = session.SuperviseWakeups - wakeups;
            var reported = counters.ReceiverReports - reports;
            var kept = counters.Keepalives - keepalives;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{transport}: over {Period.TotalSeconds} s of the clock: {woke} wake-ups, {reported} receiver reports, {kept} keepalives, {counters.PacketsLost} packets lost (bound {bound}: {reportDeadlines} report + {keepaliveDeadlines} keepalive deadlines + {mediaChecks} media-timeout checks + 2)"));
            Assert.True(woke <= bound, $"{transport}: the supervise loop woke {woke} times over {Period.TotalSeconds} s of the clock; its deadlines allow {bound} ({reportDeadlines} receiver reports, {keepaliveDeadlines} keepalives, {mediaChecks} media-timeout checks, +2); it sent {reported} reports and {kept} keepalives");
            Assert.InRange(reported, reportDeadlines - 1, reportDeadlines + 1);
            Assert.InRange(kept, keepaliveDeadlines - 1, keepaliveDeadlines + 1);
            Assert.False(run.IsCompleted, $"the session ended: {run.Exception?.InnerException?.Message}");

            // Stopping ends the session promptly (the UDP receive thread included).
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }

    /// <summary>
    /// Moves the clock <paramref name="span"/> forward in <see cref="Step"/>s; after each step it waits
    /// for an RTP packet (real progress, which keeps the media timeout quiet and lets the loop run)
    /// and for the loop to sleep again. Fails fast once the wake-ups since <paramref name="since"/> pass <paramref name="allowed"/>.
    /// </summary>
    private static async Task StepAsync(ManualTimeProvider time, TimeSpan span, RtspPullSession session, UpstreamCounters counters, Task run, long since, long allowed, GstRtspServerProcess upstream)
    {
        for (var moved = TimeSpan.Zero; moved < span; moved += Step)
        {
            var packets = counters.PacketsReceived;
            time.Advance(Step);
            var what = string.Create(CultureInfo.InvariantCulture, $"an RTP packet after stepping the clock to +{(moved + Step).TotalSeconds:0.0} s of {span.TotalSeconds:0} s");
            await WaitAsync(() => counters.PacketsReceived > packets && session.SupervisorAsleep, what, session, run, since, allowed, upstream);
        }
    }

    /// <summary>
    /// Polls <paramref name="condition"/>; fails when the session ended, the wait outlasts
    /// <see cref="ProgressTimeout"/>, or the loop woke more than <paramref name="allowed"/> times since <paramref name="since"/>.
    /// </summary>
    private static async Task WaitAsync(Func<bool> condition, string what, RtspPullSession session, Task run, long since, long allowed, GstRtspServerProcess upstream)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var woke = session.SuperviseWakeups - since;
            Assert.True(woke <= allowed, $"waiting for {what}: the supervise loop woke {woke} times; the deadlines allow {allowed}");
            if (condition())
            {
                return;
            }

            Assert.False(run.IsCompleted, $"waiting for {what}: the session ended ({run.Exception?.InnerException?.Message})\nupstream:\n{upstream.Output}");
            Assert.True(clock.Elapsed < ProgressTimeout, $"timed out after {ProgressTimeout.TotalSeconds} s waiting for {what}\nupstream:\n{upstream.Output}");
            await Task.Delay(10);
        }
    }

    /// <summary>Counts access units and keyframes.</summary>
    private sealed class CountingSink : IH264UnitReceiver
    {
        private long _units;
        private long _keyframes;

        public long Units => Interlocked.Read(ref _units);

        public long Keyframes => Interlocked.Read(ref _keyframes);

        public void OnAccessUnit(ReadOnlySpan<byte> annexB, uint rtpTimestamp, bool keyframe, bool afterLoss)
        {
            Interlocked.Increment(ref _units);
            if (keyframe)
            {
                Interlocked.Increment(ref _keyframes);
            }
        }
    }
}
