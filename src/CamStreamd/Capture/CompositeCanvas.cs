using System.Runtime.InteropServices;
using CamStreamd.Encoding;
using CamStreamd.Media;

namespace CamStreamd.Capture;

/// <summary>
/// The composite's one output picture: an I420 frame in a pinned buffer whose three planes each
/// start on a 64-byte boundary (so tiles on 16-pixel columns start aligned for libswscale's SIMD
/// paths). Tiles are drawn into it in place and it is handed to the pipeline as is; the pipeline
/// releases it before it asks for the next picture, so it is never written while being encoded.
/// </summary>
internal sealed unsafe class CompositeCanvas : IVideoFrameOwner
{
    private const int Alignment = 64;

    private readonly byte[] _buffer;
    private readonly byte* _y;
    private readonly byte* _u;
    private readonly byte* _v;
    private int _out;

    public CompositeCanvas(int width, int height)
    {
        Width = width;
        Height = height;
        var chromaWidth = width / 2;
        var chromaHeight = height / 2;
        var luma = Align(width * height);
        var chroma = Align(chromaWidth * chromaHeight);

        // Pinned for the process's life of the stream: swscale writes through raw pointers.
        _buffer = GC.AllocateUninitializedArray<byte>(luma + (2 * chroma) + Alignment, pinned: true);
        var start = (int)(Align((long)Marshal.UnsafeAddrOfPinnedArrayElement(_buffer, 0)) - (long)Marshal.UnsafeAddrOfPinnedArrayElement(_buffer, 0));
        fixed (byte* b = _buffer)
        {
            _y = b + start;
            _u = _y + luma;
            _v = _u + chroma;
        }

        Frame = new VideoFrame(this);
        Frame.SetPlanes(
            VideoPixelFormat.I420,
            width,
            height,
            _buffer.AsMemory(start, width * height),
            width,
            _buffer.AsMemory(start + luma, chromaWidth * chromaHeight),
            chromaWidth,
            _buffer.AsMemory(start + luma + chroma, chromaWidth * chromaHeight),
            chromaWidth);
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The frame over the canvas.</summary>
    public VideoFrame Frame { get; }

    /// <summary>True while the pipeline holds the frame.</summary>
    public bool IsOut => Volatile.Read(ref _out) != 0;

    /// <summary>Marks the frame as handed out.</summary>
    public void HandOut()
    {
        if (Interlocked.Exchange(ref _out, 1) != 0)
        {
            throw new InvalidOperationException("the composite's picture is still held by its reader (one picture at a time)");
        }
    }

    /// <inheritdoc/>
    public void ReturnFrame(VideoFrame frame) => Volatile.Write(ref _out, 0);

    /// <summary>The place of rectangle (<paramref name="x"/>, <paramref name="y"/>, <paramref name="width"/>, <paramref name="height"/>), all even.</summary>
    public PlanarTarget Target(int x, int y, int width, int height) => new(
        _y + ((long)y * Width) + x,
        _u + ((long)(y / 2) * (Width / 2)) + (x / 2),
        _v + ((long)(y / 2) * (Width / 2)) + (x / 2),
        Width,
        Width / 2,
        width,
        height);

    private static int Align(int value) => (value + Alignment - 1) / Alignment * Alignment;

    private static long Align(long value) => (value + Alignment - 1) / Alignment * Alignment;
}
