using System.Diagnostics;
using CamStreamd.Capture;
using CamStreamd.Media;
using CamStreamd.Tests.Rtsp.TestSupport;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Capture;

public class TestPatternSourceTests
{
    private readonly ITestOutputHelper _output;

    public TestPatternSourceTests(ITestOutputHelper output)
    {
        _output = output;
    }

    /// <summary>
    /// Task.Delay counts whole milliseconds, so a read waiting for a due time completes at the first
    /// millisecond tick at or after it: by due + 1 ms - 1 tick at the latest.
    /// </summary>
    private static readonly long DelayGranularity = Stopwatch.Frequency / 1000;

    /// <summary>Ticks from the start to frame <paramref name="n"/>'s due time at numerator/denominator fps, exactly rounded.</summary>
    private static long Offset(long n, long numerator, long denominator) =>
        (long)((((Int128)n * Stopwatch.Frequency * denominator * 2) + numerator) / (2 * numerator));

    /// <summary>Awaits a read the test has made due; the timer continuation may run on another thread.</summary>
    private static Task<VideoFrame> Completed(Task<VideoFrame> read) => read.WaitAsync(TimeSpan.FromSeconds(5));

    private static byte[] Region(VideoFrame frame, (int X, int Y, int Width, int Height) r)
    {
        var bytes = new List<byte>();
        for (var row = r.Y; row < r.Y + r.Height; row++)
        {
            bytes.AddRange(frame.Y.Slice((row * frame.Width) + r.X, r.Width).ToArray());
        }

        return [.. bytes];
    }

    [Fact]
    public async Task Frames_are_i420_of_the_requested_size_with_increasing_numbers()
    {
        // On the manual clock: on the system clock a stall longer than one 8 ms period (a cold JIT)
        // makes the source skip, correctly, and the frame numbers would depend on the machine.
        var clock = new ManualTimeProvider();
        var start = clock.GetTimestamp();
        await using var source = new TestPatternSource(320, 240, 120, clock);
        Assert.Equal(320, source.Width);
        Assert.Equal(240, source.Height);
        Assert.Equal(120, source.Fps);
        for (var i = 0; i < 3; i++)
        {
            var read = source.ReadFrameAsync(CancellationToken.None).AsTask();
            clock.AdvanceTo(start + Offset(i, 120, 1) + DelayGranularity - 1);
            var frame = await Completed(read);
            Assert.Equal(i, frame.FrameNumber);
            Assert.Equal(320 * 240, frame.Y.Length);
            Assert.Equal(160 * 120, frame.U.Length);
            Assert.Equal(160 * 120, frame.V.Length);
            Assert.Equal(VideoPixelFormat.I420, frame.Format);
            frame.Release();
        }

        Assert.Equal(1, source.FramesAllocated); // released frames are reused
    }

    [Fact]
    public async Task Content_and_counter_digits_change_between_frames()
    {
        await using var source = new TestPatternSource(640, 480, 120);
        var first = await source.ReadFrameAsync(CancellationToken.None);
        var second = await source.ReadFrameAsync(CancellationToken.None);
        Assert.False(first.Y.SequenceEqual(second.Y));
        Assert.False(first.U.SequenceEqual(second.U));

        var panel = TestPatternRenderer.DigitPanel(640, 480);
        Assert.True(panel.Width > 100 && panel.Height > 50);
        Assert.NotEqual(Region(first, panel), Region(second, panel));

        // The panel shows bright digits on black: both levels present.
        var pixels = Region(second, panel);
        Assert.Contains((byte)235, pixels);
        Assert.Contains((byte)16, pixels);
        first.Release();
        second.Release();
    }

    [Fact]
    public void Same_counter_draws_the_same_digits_and_different_counters_do_not()
    {
        var pool = new VideoFramePool(1280, 720);
        var a = pool.Rent();
        var b = pool.Rent();
        var panel = TestPatternRenderer.DigitPanel(1280, 720);
        var counterOnly = panel with { Height = panel.Height / 2 };
        TestPatternRenderer.Render(a, 41, 0);
        TestPatternRenderer.Render(b, 41, 5000);
        Assert.Equal(Region(a, counterOnly), Region(b, counterOnly));
        TestPatternRenderer.Render(b, 42, 0);
        Assert.NotEqual(Region(a, counterOnly), Region(b, counterOnly));
    }

    [Theory]
    [InlineData(30, 1)]
    [InlineData(30000, 1001)] // NTSC 29.97: a period of 33,366,666.67 ns
    [InlineData(2997, 100)]
    public async Task Frame_n_is_captured_exactly_at_start_plus_n_periods_without_drift(int numerator, int denominator)
    {
        var clock = new ManualTimeProvider();
        await using var source = new TestPatternSource(64, 48, (double)numerator / denominator, clock);
        var start = clock.GetTimestamp();
        long Due(long n) => start + Offset(n, numerator, denominator);

        // The period is not a whole number of ticks, so adding a rounded period per frame would drift.
        const int count = 1000;
        Assert.NotEqual(count * Offset(1, numerator, denominator), Offset(count, numerator, denominator));

        var read = source.ReadFrameAsync(CancellationToken.None).AsTask();
        Assert.True(read.IsCompleted, "frame 0 is due at the first read");
        var first = await read;
        Assert.Equal(0, first.FrameNumber);
        Assert.Equal(start, first.CaptureTimestamp);
        first.Release();

        for (var n = 1; n <= count; n++)
        {
            read = source.ReadFrameAsync(CancellationToken.None).AsTask();
            Assert.False(read.IsCompleted, $"frame {n} before its due time");
            clock.AdvanceTo(Due(n) - 1);
            Assert.False(read.IsCompleted, $"frame {n} one tick before its due time");
            Assert.Equal(1, clock.ActiveTimers); // waiting on a timer, not spinning
            clock.AdvanceTo(Due(n) + DelayGranularity - 1);
            var frame = await Completed(read);
            Assert.Equal(n, frame.FrameNumber);
            Assert.Equal(Due(n), frame.CaptureTimestamp);
            frame.Release();
        }

        Assert.Equal(0, source.SkippedFrames);
        Assert.Equal(1, source.FramesAllocated);
        Assert.Equal(0, clock.ActiveTimers);
    }

    [Fact]
    public async Task Falling_behind_is_warned_at_most_every_10_s_with_the_skips_summed()
    {
        var clock = new ManualTimeProvider();
        using var log = new ListLoggerFactory();
        await using var source = new TestPatternSource(64, 48, 30, clock, log.CreateLogger<TestPatternSource>());
        var start = clock.GetTimestamp();
        (await source.ReadFrameAsync(CancellationToken.None)).Release();

        // Read once a second for 20 s: each read skips 29 frames. The first is said at once,
        // the next ten (2 s .. 11 s) together at 11 s, the last nine wait for the next warning.
        for (var i = 1; i <= 20; i++)
        {
            clock.AdvanceTo(start + Offset(30L * i, 30, 1));
            (await source.ReadFrameAsync(CancellationToken.None)).Release();
        }

        Assert.Equal(29 * 20, source.SkippedFrames);
        var warnings = log.WithId(3101);
        Assert.Equal(2, warnings.Count);
        Assert.Contains("skipped 29 frames, continuing at frame 30 ", warnings[0].Message, StringComparison.Ordinal);
        Assert.Contains("skipped 290 frames, continuing at frame 330 ", warnings[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, 0.5)] // several periods late, mid-period
    [InlineData(10, 0.0)] // exactly when frame 10 falls due: frame 10, not frame 9 followed by a burst
    [InlineData(2, 0.0)] // exactly one period late
    [InlineData(1, 0.5)] // less than a period late: the late frame, nothing skipped
    public async Task A_late_reader_gets_the_frame_due_now_then_is_paced_again(int dueNow, double periodFraction)
    {
        var clock = new ManualTimeProvider();
        await using var source = new TestPatternSource(64, 48, 30, clock);
        var start = clock.GetTimestamp();
        long Due(long n) => start + Offset(n, 30, 1);
        (await source.ReadFrameAsync(CancellationToken.None)).Release();

        var readAt = Due(dueNow) + (long)(periodFraction * (Due(dueNow + 1) - Due(dueNow)));
        clock.AdvanceTo(readAt);
        var read = source.ReadFrameAsync(CancellationToken.None).AsTask();
        Assert.True(read.IsCompleted, "a frame already due is returned without waiting");
        var late = await read;
        Assert.Equal(dueNow, late.FrameNumber);
        Assert.Equal(Due(dueNow), late.CaptureTimestamp); // its scheduled time, not the late read's
        Assert.Equal(dueNow - 1, source.SkippedFrames);
        late.Release();

        read = source.ReadFrameAsync(CancellationToken.None).AsTask();
        Assert.False(read.IsCompleted, "the frame after a late one is paced, not immediate");
        clock.AdvanceTo(Due(dueNow + 1) - 1);
        Assert.False(read.IsCompleted);
        clock.AdvanceTo(Due(dueNow + 1) + DelayGranularity - 1);
        var next = await Completed(read);
        Assert.Equal(dueNow + 1, next.FrameNumber);
        Assert.Equal(Due(dueNow + 1), next.CaptureTimestamp);
        Assert.Equal(dueNow - 1, source.SkippedFrames);
        next.Release();
    }

    [Fact]
    public async Task Cancelling_a_wait_consumes_no_frame_and_disposal_stops_reads()
    {
        var clock = new ManualTimeProvider();
        var source = new TestPatternSource(64, 48, 30, clock);
        var start = clock.GetTimestamp();
        (await source.ReadFrameAsync(CancellationToken.None)).Release();

        using var cts = new CancellationTokenSource();
        var read = source.ReadFrameAsync(cts.Token).AsTask();
        Assert.False(read.IsCompleted);
        Assert.Equal(1, clock.ActiveTimers);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Completed(read));
        Assert.Equal(0, clock.ActiveTimers);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await source.ReadFrameAsync(cts.Token));

        // The cancelled read did not consume frame 1: it comes, on time, to the next reader.
        clock.AdvanceTo(start + Offset(1, 30, 1));
        var frame = await Completed(source.ReadFrameAsync(CancellationToken.None).AsTask());
        Assert.Equal(1, frame.FrameNumber);
        Assert.Equal(0, source.SkippedFrames);
        frame.Release();

        await source.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await source.ReadFrameAsync(CancellationToken.None));
    }

    [Fact]
    public async Task On_the_system_clock_ten_frames_at_30_fps_take_about_a_third_of_a_second()
    {
        // The one wall-clock sanity check, with bounds a loaded CI machine cannot miss; pacing logic
        // is tested exactly on the manual clock above.
        await using var source = new TestPatternSource(64, 48, 30);
        var stopwatch = Stopwatch.StartNew();
        var previous = long.MinValue;
        for (var i = 0; i < 10; i++)
        {
            var frame = await source.ReadFrameAsync(CancellationToken.None);
            Assert.True(frame.CaptureTimestamp > previous);
            previous = frame.CaptureTimestamp;
            frame.Release();
        }

        _output.WriteLine($"10 frames in {stopwatch.Elapsed.TotalSeconds:F3} s, skipped {source.SkippedFrames}");
        Assert.InRange(stopwatch.Elapsed.TotalSeconds, 0.2, 5);
    }

    [Fact]
    public void Rendering_720p_is_fast_and_allocates_nothing()
    {
        var frame = new VideoFramePool(1280, 720).Rent();
        for (var i = 0; i < 20; i++)
        {
            TestPatternRenderer.Render(frame, i, i * 33);
        }

        const int count = 300;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            TestPatternRenderer.Render(frame, i, i * 33);
        }

        var perFrame = Stopwatch.GetElapsedTime(start).TotalMilliseconds / count;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        _output.WriteLine($"1280x720 render: {perFrame:F3} ms per frame");
        Assert.Equal(0, allocated);
        Assert.True(perFrame < 15, $"{perFrame:F3} ms per frame");
    }
}
