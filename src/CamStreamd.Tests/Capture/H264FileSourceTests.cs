using System.Diagnostics;
using CamStreamd.Capture;
using CamStreamd.Media;

namespace CamStreamd.Tests.Capture;

public sealed class H264FileSourceTests : IDisposable
{
    private static readonly byte[] Idr = [0, 0, 0, 1, 0x67, 0x42, 0, 0, 0, 1, 0x68, 0xCE, 0, 0, 0, 1, 0x65, 0x88, 0x80];
    private static readonly byte[] P1 = [0, 0, 0, 1, 0x41, 0x9A, 0x01];
    private static readonly byte[] P2 = [0, 0, 0, 1, 0x41, 0x9A, 0x02, 0x03];

    private readonly string _path = Path.Combine(Path.GetTempPath(), $"camstreamd-clip-{Guid.NewGuid():N}.h264");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public async Task Plays_the_units_in_a_loop_with_unbroken_numbers_at_the_frame_rate()
    {
        await File.WriteAllBytesAsync(_path, [.. Idr, .. P1, .. P2]);
        await using var source = new H264FileSource(_path, 320, 240, fps: 50);
        Assert.Equal(3, source.UnitCount);

        var payloads = new List<byte[]>();
        var numbers = new List<long>();
        var stamps = new List<long>();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < 7; i++)
        {
            var frame = await source.ReadFrameAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Equal(VideoPixelFormat.H264, frame.Format);
            payloads.Add(frame.Payload.ToArray());
            numbers.Add(frame.FrameNumber);
            stamps.Add(frame.CaptureTimestamp);
            frame.Release();
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        Assert.Equal([Idr, P1, P2, Idr, P1, P2, Idr], payloads);
        Assert.Equal([0L, 1, 2, 3, 4, 5, 6], numbers);

        // Frame 6 is due 6/50 s after frame 0, stamped with its due time.
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(115), $"7 frames at 50 fps took only {elapsed}");
        Assert.Equal(Stopwatch.Frequency * 6 / 50, stamps[6] - stamps[0], tolerance: 1);
    }

    [Fact]
    public async Task A_file_that_does_not_start_with_an_idr_is_refused_with_its_name()
    {
        await File.WriteAllBytesAsync(_path, [.. P1, .. Idr]);

        var error = Assert.Throws<InvalidDataException>(() => new H264FileSource(_path, 320, 240, 30));

        Assert.Contains(_path, error.Message, StringComparison.Ordinal);
    }
}
