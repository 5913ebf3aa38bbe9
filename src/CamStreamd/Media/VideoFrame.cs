namespace CamStreamd.Media;

/// <summary>
/// One raw picture in planar YUV 4:2:0 (I420: a Y plane, then U, then V, each tightly packed),
/// pooled by <see cref="VideoFramePool"/>. The holder calls <see cref="Release"/> when done.
/// </summary>
public sealed class VideoFrame
{
    private readonly VideoFramePool _pool;
    private readonly byte[] _buffer;

    internal VideoFrame(VideoFramePool pool, int width, int height)
    {
        _pool = pool;
        Width = width;
        Height = height;
        ChromaWidth = (width + 1) / 2;
        ChromaHeight = (height + 1) / 2;
        _buffer = new byte[(width * height) + (2 * ChromaWidth * ChromaHeight)];
    }

    /// <summary>Luma width in pixels (also the Y plane's stride).</summary>
    public int Width { get; }

    /// <summary>Luma height in pixels.</summary>
    public int Height { get; }

    /// <summary>Width of the U and V planes (also their stride).</summary>
    public int ChromaWidth { get; }

    /// <summary>Height of the U and V planes.</summary>
    public int ChromaHeight { get; }

    /// <summary>The luma plane.</summary>
    public Span<byte> Y => _buffer.AsSpan(0, Width * Height);

    /// <summary>The Cb plane.</summary>
    public Span<byte> U => _buffer.AsSpan(Width * Height, ChromaWidth * ChromaHeight);

    /// <summary>The Cr plane.</summary>
    public Span<byte> V => _buffer.AsSpan((Width * Height) + (ChromaWidth * ChromaHeight), ChromaWidth * ChromaHeight);

    /// <summary>All three planes back to back.</summary>
    public Memory<byte> Data => _buffer;

    /// <summary>Capture time on the monotonic clock, in Stopwatch ticks.</summary>
    public long CaptureTimestamp { get; set; }

    /// <summary>Index of the frame in its source, from 0.</summary>
    public long FrameNumber { get; set; }

    /// <summary>Returns the frame to its pool.</summary>
    public void Release() => _pool.Return(this);
}
