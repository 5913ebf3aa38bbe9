using System.Diagnostics;
using CamStreamd.Capture;
using CamStreamd.Media;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Capture;

public class TestPatternSourceTests
{
    private readonly ITestOutputHelper _output;

    public TestPatternSourceTests(ITestOutputHelper output)
    {
        _output = output;

        // On a 2-core machine the test host starts with 2 pool threads and sometimes blocks them;
        // a timer continuation then waits 0.5-1 s for thread injection (measured), which is the
        // host's stall, not the source's pacing. More minimum threads keep the measurement honest.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 8), io);
    }

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
        await using var source = new TestPatternSource(320, 240, 120);
        Assert.Equal(320, source.Width);
        Assert.Equal(240, source.Height);
        Assert.Equal(120, source.Fps);
        for (var i = 0; i < 3; i++)
        {
            var frame = await source.ReadFrameAsync(CancellationToken.None);
            Assert.Equal(i, frame.FrameNumber);
            Assert.Equal(320 * 240, frame.Y.Length);
            Assert.Equal(160 * 120, frame.U.Length);
            Assert.Equal(160 * 120, frame.V.Length);
            Assert.Equal(320 * 240 * 3 / 2, frame.Data.Length);
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

    [Fact]
    public async Task Paces_30_frames_per_second_without_drift()
    {
        await using var source = new TestPatternSource(320, 240, 30);
        var stamps = new List<long>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i <= 30; i++)
        {
            var frame = await source.ReadFrameAsync(CancellationToken.None);
            stamps.Add(frame.CaptureTimestamp);
            frame.Release();
        }

        var elapsed = clock.Elapsed.TotalSeconds;
        _output.WriteLine($"31 frames (30 periods) in {elapsed:F3} s, skipped {source.SkippedFrames}");

        var gaps = stamps.Zip(stamps.Skip(1), (x, y) => (y - x) * 1000.0 / Stopwatch.Frequency).Order().ToArray();
        _output.WriteLine(string.Join(" ", stamps.Zip(stamps.Skip(1), (x, y) => ((y - x) * 1000.0 / Stopwatch.Frequency).ToString("F1", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.All(gaps, g => Assert.True(g > 0));
        var median = gaps[gaps.Length / 2];
        _output.WriteLine($"median spacing {median:F2} ms, min {gaps[0]:F2}, max {gaps[^1]:F2}");
        Assert.InRange(median, 28, 40);
        Assert.InRange(elapsed, 0.9, 1.5);

        // No drift: frame 30 is due 1.000 s after frame 0; only the last wake-up's lateness counts.
        var span = (stamps[^1] - stamps[0]) * 1.0 / Stopwatch.Frequency;
        Assert.InRange(span, 0.99, 1.2);
    }

    [Fact]
    public async Task A_late_reader_skips_ahead_instead_of_bursting()
    {
        await using var source = new TestPatternSource(320, 240, 30);
        (await source.ReadFrameAsync(CancellationToken.None)).Release();
        await Task.Delay(400);
        var late = await source.ReadFrameAsync(CancellationToken.None);
        var lateNumber = late.FrameNumber;
        Assert.InRange(lateNumber, 10, 20);
        Assert.Equal(lateNumber - 1, source.SkippedFrames);
        late.Release();

        var clock = Stopwatch.StartNew();
        var next = await source.ReadFrameAsync(CancellationToken.None);
        Assert.Equal(lateNumber + 1, next.FrameNumber);
        Assert.True(clock.Elapsed.TotalMilliseconds > 5, "the frame after a skip is paced, not immediate");
        next.Release();
    }

    [Fact]
    public async Task Waiting_honours_cancellation_and_disposal()
    {
        var source = new TestPatternSource(320, 240, 0.5);
        (await source.ReadFrameAsync(CancellationToken.None)).Release();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await source.ReadFrameAsync(cts.Token));
        await source.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await source.ReadFrameAsync(CancellationToken.None));
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
