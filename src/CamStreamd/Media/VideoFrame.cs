namespace CamStreamd.Media;

/// <summary>
/// One captured picture: raw planes (I420, NV12, YUYV) or one compressed payload (MJPEG, H.264),
/// in memory owned by an <see cref="IVideoFrameOwner"/> (a managed pool, or a driver buffer
/// mapped by V4L2). The holder calls <see cref="Release"/> when done, which hands the memory back.
/// Frame objects are reused: a source fills one with <see cref="SetPlanes"/> or
/// <see cref="SetPayload"/> each time, so capturing allocates nothing.
/// </summary>
public sealed class VideoFrame
{
    private readonly IVideoFrameOwner _owner;
    private Memory<byte> _plane0;
    private Memory<byte> _plane1;
    private Memory<byte> _plane2;
    private int _stride0;
    private int _stride1;
    private int _stride2;

    /// <summary>Creates an empty frame returned to <paramref name="owner"/> on release.</summary>
    public VideoFrame(IVideoFrameOwner owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        _owner = owner;
    }

    /// <summary>Creates a frame with its own tightly packed I420 buffer of the given size.</summary>
    internal VideoFrame(IVideoFrameOwner owner, int width, int height)
        : this(owner)
    {
        var chromaWidth = (width + 1) / 2;
        var chromaHeight = (height + 1) / 2;
        var buffer = new byte[(width * height) + (2 * chromaWidth * chromaHeight)];
        var luma = width * height;
        var chroma = chromaWidth * chromaHeight;
        SetPlanes(
            VideoPixelFormat.I420,
            width,
            height,
            buffer.AsMemory(0, luma),
            width,
            buffer.AsMemory(luma, chroma),
            chromaWidth,
            buffer.AsMemory(luma + chroma, chroma),
            chromaWidth);
    }

    /// <summary>How the bytes are laid out.</summary>
    public VideoPixelFormat Format { get; private set; }

    /// <summary>True for MJPEG and H.264 (one payload in plane 0, no strides).</summary>
    public bool IsCompressed => Format is VideoPixelFormat.Mjpeg or VideoPixelFormat.H264;

    /// <summary>Luma width in pixels.</summary>
    public int Width { get; private set; }

    /// <summary>Luma height in pixels.</summary>
    public int Height { get; private set; }

    /// <summary>Planes in use: 3 for I420, 2 for NV12, 1 for YUYV and compressed payloads.</summary>
    public int PlaneCount { get; private set; }

    /// <summary>Width of the chroma planes of 4:2:0 formats.</summary>
    public int ChromaWidth => (Width + 1) / 2;

    /// <summary>Height of the chroma planes of 4:2:0 formats.</summary>
    public int ChromaHeight => (Height + 1) / 2;

    /// <summary>I420's luma plane (tightly packed in pooled frames; use <see cref="GetStride"/> otherwise).</summary>
    public Span<byte> Y => _plane0.Span;

    /// <summary>I420's Cb plane.</summary>
    public Span<byte> U => _plane1.Span;

    /// <summary>I420's Cr plane.</summary>
    public Span<byte> V => _plane2.Span;

    /// <summary>The compressed payload (MJPEG, H.264), or plane 0.</summary>
    public Memory<byte> Payload => _plane0;

    /// <summary>Capture time on the monotonic clock, in Stopwatch ticks (from the driver's buffer timestamp for cameras).</summary>
    public long CaptureTimestamp { get; set; }

    /// <summary>Index of the frame in its source, from 0.</summary>
    public long FrameNumber { get; set; }

    /// <summary>Plane <paramref name="index"/> (0 ≤ index &lt; <see cref="PlaneCount"/>).</summary>
    public Memory<byte> GetPlane(int index) => index switch
    {
        0 => _plane0,
        1 => _plane1,
        2 => _plane2,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Bytes from one row of plane <paramref name="index"/> to the next.</summary>
    public int GetStride(int index) => index switch
    {
        0 => _stride0,
        1 => _stride1,
        2 => _stride2,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Describes a raw picture (unused planes default to empty).</summary>
    public void SetPlanes(
        VideoPixelFormat format,
        int width,
        int height,
        Memory<byte> plane0,
        int stride0,
        Memory<byte> plane1 = default,
        int stride1 = 0,
        Memory<byte> plane2 = default,
        int stride2 = 0)
    {
        Format = format;
        Width = width;
        Height = height;
        (_plane0, _stride0) = (plane0, stride0);
        (_plane1, _stride1) = (plane1, stride1);
        (_plane2, _stride2) = (plane2, stride2);
        PlaneCount = format switch
        {
            VideoPixelFormat.I420 => 3,
            VideoPixelFormat.Nv12 => 2,
            _ => 1,
        };
    }

    /// <summary>Describes a compressed picture of <paramref name="width"/>x<paramref name="height"/>.</summary>
    public void SetPayload(VideoPixelFormat format, int width, int height, Memory<byte> payload)
    {
        SetPlanes(format, width, height, payload, 0);
    }

    /// <summary>Hands the frame back to its owner.</summary>
    public void Release() => _owner.ReturnFrame(this);
}
