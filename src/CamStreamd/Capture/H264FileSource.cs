using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CamStreamd.Media;
using CamStreamd.Media.H264;

namespace CamStreamd.Capture;

/// <summary>
/// A bench-only source: a raw H.264 file (Annex-B, starting with an IDR) held in memory and
/// played in a loop, one access unit per <see cref="VideoPixelFormat.H264"/> frame at the
/// configured rate, as an H.264 camera delivers it. <c>bench/</c> uses it (through the
/// <c>CAMSTREAMD_BENCH_H264</c> environment variable read by the stream factory) to feed
/// camstreamd the same encoded bytes as the peer server it is measured against.
/// </summary>
/// <remarks>
/// Frame n is due at <c>start + n / fps</c> on the monotonic clock (stamped with that due time, as the
/// test pattern does) and frame numbers run on across loops, so the passthrough
/// engine sees one unbroken sequence. Payloads point into the file's bytes; nothing is copied.
/// A <see cref="FrameClock"/> paces it: the reader runs on the clock's thread, one wake per frame,
/// as a camera's capture thread wakes, so the bench's figures hold no pacing cost a camera does not have.
/// </remarks>
public sealed class H264FileSource : IVideoSource, IVideoFrameOwner
{
    private readonly byte[] _data;
    private readonly IReadOnlyList<(int Offset, int Length)> _units;
    private readonly ConcurrentQueue<VideoFrame> _free = new();
    private FrameClock? _clock;
    private long _next;
    private bool _disposed;

    /// <summary>Loads <paramref name="path"/>; throws when it holds no access unit or does not start with an IDR.</summary>
    public H264FileSource(string path, int width, int height, double fps)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fps);
        _data = File.ReadAllBytes(path);
        _units = AccessUnitSplitter.Split(_data);
        if (_units.Count == 0 || !HasIdr(_data.AsSpan(_units[0].Offset, _units[0].Length)))
        {
            throw new InvalidDataException($"{path}: no H.264 access units, or the first is not an IDR");
        }

        Width = width;
        Height = height;
        Fps = fps;
    }

    /// <inheritdoc/>
    public int Width { get; }

    /// <inheritdoc/>
    public int Height { get; }

    /// <inheritdoc/>
    public double Fps { get; }

    /// <summary>Access units in the file (one loop).</summary>
    public int UnitCount => _units.Count;

    /// <inheritdoc/>
    /// <remarks>Its state machine comes from a pool: a read that waits (every one) allocates nothing.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<VideoFrame> ReadFrameAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // Frame 0 is due at the first read; the clock's thread then runs the reader at each due time.
        _clock ??= new FrameClock(Fps, "camstreamd-h264file");
        var due = _clock.DueTimestamp(_next);
        await _clock.WaitForAsync(_next, cancellationToken).ConfigureAwait(false);

        var (offset, length) = _units[(int)(_next % _units.Count)];
        if (!_free.TryDequeue(out var frame))
        {
            frame = new VideoFrame(this);
        }

        frame.SetPayload(VideoPixelFormat.H264, Width, Height, _data.AsMemory(offset, length));
        frame.FrameNumber = _next;
        frame.CaptureTimestamp = due;
        _next++;
        return frame;
    }

    /// <inheritdoc/>
    public void ReturnFrame(VideoFrame frame) => _free.Enqueue(frame);

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _disposed = true;
        _clock?.Dispose();
        return ValueTask.CompletedTask;
    }

    private static bool HasIdr(ReadOnlySpan<byte> unit)
    {
        var reader = new AnnexBReader(unit);
        while (reader.TryReadNext(out var nal))
        {
            if (AnnexBReader.NalType(nal) == NalUnitType.IdrSlice)
            {
                return true;
            }
        }

        return false;
    }
}
