using System.Collections.Concurrent;

namespace CamStreamd.Http;

/// <summary>
/// One JPEG picture in a pooled, reference-counted buffer, shared by every viewer of a stream.
/// The producer holds one reference while the picture is the latest; each viewer holds one while
/// it copies the bytes into its response. The last release returns the buffer to the pool.
/// </summary>
internal sealed class JpegPicture
{
    private readonly ConcurrentQueue<JpegPicture> _pool;
    private int _references;

    private JpegPicture(ConcurrentQueue<JpegPicture> pool, int capacity)
    {
        _pool = pool;
        Buffer = new byte[capacity];
    }

    /// <summary>The buffer; <see cref="Length"/> bytes of it are the JPEG.</summary>
    public byte[] Buffer;

    /// <summary>Bytes of <see cref="Buffer"/> in use.</summary>
    public int Length { get; set; }

    /// <summary>Number of the picture in its producer, from 1.</summary>
    public long Sequence { get; set; }

    /// <summary>Monotonic time (Stopwatch ticks) of the frame it shows.</summary>
    public long CaptureTimestamp { get; set; }

    /// <summary>The JPEG bytes.</summary>
    public ReadOnlySpan<byte> Span => Buffer.AsSpan(0, Length);

    /// <summary>Rents a picture with one reference (the renter's) from <paramref name="pool"/>.</summary>
    public static JpegPicture Rent(ConcurrentQueue<JpegPicture> pool, int capacity)
    {
        if (!pool.TryDequeue(out var picture))
        {
            picture = new JpegPicture(pool, capacity);
        }

        picture._references = 1;
        picture.Length = 0;
        return picture;
    }

    /// <summary>Adds a reference (the caller must already hold one, or hold the producer's lock).</summary>
    public void AddReference() => Interlocked.Increment(ref _references);

    /// <summary>Drops a reference; the last one returns the picture to its pool.</summary>
    public void Release()
    {
        var left = Interlocked.Decrement(ref _references);
        if (left == 0)
        {
            _pool.Enqueue(this);
        }
        else if (left < 0)
        {
            throw new InvalidOperationException("JPEG picture released more often than referenced");
        }
    }
}
