namespace CamStreamd.Encoding;

/// <summary>
/// A rectangle of an I420 picture in pinned memory, written in place by <see cref="TileScaler"/>:
/// the addresses of its first luma and chroma bytes and the strides of the whole picture.
/// </summary>
internal readonly unsafe struct PlanarTarget
{
    public PlanarTarget(byte* y, byte* u, byte* v, int lumaStride, int chromaStride, int width, int height)
    {
        Y = y;
        U = u;
        V = v;
        LumaStride = lumaStride;
        ChromaStride = chromaStride;
        Width = width;
        Height = height;
    }

    public byte* Y { get; }

    public byte* U { get; }

    public byte* V { get; }

    public int LumaStride { get; }

    public int ChromaStride { get; }

    /// <summary>Width of the rectangle in pixels (even).</summary>
    public int Width { get; }

    /// <summary>Height of the rectangle in pixels (even).</summary>
    public int Height { get; }
}
