using System.Diagnostics;
using CamStreamd.Capture;
using CamStreamd.Media;
using CamStreamd.Rtsp.Client;
using CamStreamd.Rtsp.Protocol;
using CamStreamd.Tests.Rtp;

namespace CamStreamd.Tests.Capture;

/// <summary>
/// The relay source on its own, its upstream unreachable (a loopback port nothing listens on) and
/// access units fed to its writer as a session would: IDRs get the SDP's SPS/PPS in front, RTP
/// time becomes monotonic capture time, and without pictures the NO SIGNAL placeholder flows.
/// </summary>
public sealed class RtspPullSourceTests
{
    private static readonly byte[] Sps = RtpTestStreams.Nal(0x67, 12, 1);
    private static readonly byte[] Pps = RtpTestStreams.Nal(0x68, 5, 2);

    private static RtspPullSource Source(StreamCounters counters, List<StreamState> states) =>
        new(new RtspPullOptions("rtsp://127.0.0.1:9/none"), "test", 320, 240, 30, counters, states.Add);

    private static SdpH264Track Track() => new(96, 90000, "trackID=0", "*", 1, Sps, Pps);

    [Fact]
    public async Task An_idr_without_parameter_sets_gets_the_sdps_and_rtp_time_maps_to_the_clock()
    {
        var counters = new StreamCounters();
        var states = new List<StreamState>();
        await using var source = Source(counters, states);
        Assert.NotNull(counters.Upstream);
        source.Writer.Begin(Track());
        var idr = RtpTestStreams.AnnexB([RtpTestStreams.Nal(0x65, 300, 3)]);
        var p = RtpTestStreams.AnnexB([RtpTestStreams.Nal(0x41, 100, 4)]);
        source.Writer.OnAccessUnit(idr, 1000, keyframe: true, afterLoss: false);
        source.Writer.OnAccessUnit(p, 1000 + 3000, keyframe: false, afterLoss: false);
        source.Writer.OnAccessUnit(RtpTestStreams.AnnexB([Sps, Pps]), 1000 + 6000, keyframe: false, afterLoss: false);

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var first = await source.ReadFrameAsync(cts.Token);
        var second = await source.ReadFrameAsync(cts.Token);
        try
        {
            Assert.Equal(VideoPixelFormat.H264, first.Format);
            Assert.Equal(RtpTestStreams.AnnexB([Sps, Pps, RtpTestStreams.Nal(0x65, 300, 3)]), first.Payload.ToArray());
            Assert.Equal(p, second.Payload.ToArray());
            Assert.Equal((1, 2), (first.FrameNumber, second.FrameNumber));

            // 3000 ticks of 90 kHz are 1/30 s on the monotonic clock.
            var spacing = Stopwatch.GetElapsedTime(first.CaptureTimestamp, second.CaptureTimestamp);
            Assert.InRange(spacing.TotalMilliseconds, 33.2, 33.4);
            Assert.Equal([StreamState.Running, StreamState.Running], states);
        }
        finally
        {
            first.Release();
            second.Release();
        }
    }

    [Fact]
    public async Task A_unit_after_a_loss_leaves_a_gap_in_frame_numbers_so_passthrough_waits_for_an_idr()
    {
        var counters = new StreamCounters();
        await using var source = Source(counters, []);
        source.Writer.Begin(Track());
        source.Writer.OnAccessUnit(RtpTestStreams.AnnexB([RtpTestStreams.Nal(0x65, 50, 5)]), 0, true, false);
        source.Writer.OnAccessUnit(RtpTestStreams.AnnexB([RtpTestStreams.Nal(0x65, 50, 6)]), 9000, true, afterLoss: true);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var a = await source.ReadFrameAsync(cts.Token);
        var b = await source.ReadFrameAsync(cts.Token);
        Assert.Equal(2, b.FrameNumber - a.FrameNumber);
        a.Release();
        b.Release();
    }

    [Fact]
    public async Task Without_an_upstream_the_placeholder_flows_and_the_failure_is_counted()
    {
        var counters = new StreamCounters();
        var states = new List<StreamState>();
        await using var source = Source(counters, states);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var stopwatch = Stopwatch.StartNew();
        var frame = await source.ReadFrameAsync(cts.Token);
        var waited = stopwatch.Elapsed;
        Assert.Equal(VideoPixelFormat.I420, frame.Format);
        Assert.Equal((320, 240), (frame.Width, frame.Height));
        Assert.Equal(NoSignalRenderer.BackgroundLuma, frame.Y[0]);
        frame.Release();

        // Nothing came within the start grace; the refused connection is the reason given.
        Assert.True(waited >= RtspPullSource.StartGrace - TimeSpan.FromMilliseconds(50), $"placeholder after {waited}");
        Assert.Equal([StreamState.NoSignal], states);
        Assert.True(source.NoSignal);
        var upstream = counters.Upstream!;
        Assert.True(upstream.Failures >= 1);
        Assert.Equal(0, upstream.Sessions);
        Assert.Contains("127.0.0.1:9", upstream.LastError, StringComparison.Ordinal);

        // The loop retries with backoff: a refused attempt is a brief Connecting between Retrying
        // waits (a loaded CI machine caught one), so wait, bounded, for it to be waiting again.
        var retryingBy = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (upstream.State != UpstreamState.Retrying && DateTime.UtcNow < retryingBy)
        {
            await Task.Delay(10);
        }

        Assert.Equal(UpstreamState.Retrying, upstream.State);

        // Placeholder pictures keep coming at the stream's rate, with increasing timestamps.
        var last = 0L;
        for (var i = 0; i < 5; i++)
        {
            var next = await source.ReadFrameAsync(cts.Token);
            Assert.True(next.CaptureTimestamp > last);
            last = next.CaptureTimestamp;
            next.Release();
        }
    }

    [Fact]
    public async Task Frames_take_the_upstreams_size_from_its_sps()
    {
        // Baseline 3.1, 1280x720 (the SPS of SpsParserTests), while the stream is configured 320x240.
        byte[] sps = [0x67, 0x42, 0xC0, 0x1F, 0xDA, 0x01, 0x40, 0x16, 0xEC, 0x04, 0x40, 0x00, 0x00, 0x03, 0x00, 0x40, 0x00, 0x00, 0x0F, 0x23, 0xC6, 0x0C, 0xA8];
        await using var source = Source(new StreamCounters(), []);
        source.Writer.Begin(Track() with { Sps = sps });
        source.Writer.OnAccessUnit(RtpTestStreams.AnnexB([RtpTestStreams.Nal(0x65, 50, 7)]), 0, true, false);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var frame = await source.ReadFrameAsync(cts.Token);
        Assert.Equal((1280, 720), (frame.Width, frame.Height));
        frame.Release();
    }

    [Fact]
    public void Retries_wait_1_s_doubling_to_30_s()
    {
        var delays = new List<double>();
        var delay = RtspPullSource.InitialRetryDelay;
        for (var i = 0; i < 8; i++)
        {
            delays.Add(delay.TotalSeconds);
            delay = RtspPullSource.NextRetryDelay(delay);
        }

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], delays);
    }
}
