using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary>
/// <c>struct v4l2_buffer</c> (VIDIOC_QUERYBUF/QBUF/DQBUF), 88 bytes on 64-bit (the timeval at 24
/// is 16 bytes). For multi-planar types <see cref="Planes"/> points at a <see cref="V4l2Plane"/>
/// array of <see cref="Length"/> entries.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 88)]
public struct V4l2Buffer
{
    /// <summary><c>index</c>.</summary>
    [FieldOffset(0)]
    public uint Index;

    /// <summary><c>type</c>.</summary>
    [FieldOffset(4)]
    public uint Type;

    /// <summary><c>bytesused</c> (single-planar).</summary>
    [FieldOffset(8)]
    public uint BytesUsed;

    /// <summary><c>flags</c> (<see cref="V4l2Constants.BufFlagError"/>, timestamp type bits).</summary>
    [FieldOffset(12)]
    public uint Flags;

    /// <summary><c>field</c>.</summary>
    [FieldOffset(16)]
    public uint Field;

    /// <summary><c>timestamp</c>: when the first byte was captured (monotonic when flagged so).</summary>
    [FieldOffset(24)]
    public V4l2Timeval Timestamp;

    /// <summary><c>sequence</c>: the driver's frame counter.</summary>
    [FieldOffset(56)]
    public uint Sequence;

    /// <summary><c>memory</c>.</summary>
    [FieldOffset(60)]
    public uint Memory;

    /// <summary><c>m.offset</c>: the mmap offset (single-planar MMAP).</summary>
    [FieldOffset(64)]
    public uint Offset;

    /// <summary><c>m.planes</c>: pointer to the plane array (multi-planar).</summary>
    [FieldOffset(64)]
    public nint Planes;

    /// <summary><c>length</c>: buffer size (single-planar) or number of planes (multi-planar).</summary>
    [FieldOffset(72)]
    public uint Length;

    /// <summary><c>request_fd</c>.</summary>
    [FieldOffset(80)]
    public int RequestFd;
}
