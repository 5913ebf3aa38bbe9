using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary><c>struct v4l2_plane</c> (one plane of a multi-planar buffer), 64 bytes.</summary>
[StructLayout(LayoutKind.Explicit, Size = 64)]
public struct V4l2Plane
{
    /// <summary><c>bytesused</c>: bytes of data, including <see cref="DataOffset"/>.</summary>
    [FieldOffset(0)]
    public uint BytesUsed;

    /// <summary><c>length</c>: size of the plane's buffer.</summary>
    [FieldOffset(4)]
    public uint Length;

    /// <summary><c>m.mem_offset</c>: the mmap offset (MMAP memory).</summary>
    [FieldOffset(8)]
    public uint MemOffset;

    /// <summary><c>m.fd</c> (DMABUF memory).</summary>
    [FieldOffset(8)]
    public int Fd;

    /// <summary><c>data_offset</c>: where the picture starts in the plane.</summary>
    [FieldOffset(16)]
    public uint DataOffset;
}
