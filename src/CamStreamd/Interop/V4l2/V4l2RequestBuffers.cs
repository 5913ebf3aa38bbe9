using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary><c>struct v4l2_requestbuffers</c> (VIDIOC_REQBUFS), 20 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct V4l2RequestBuffers
{
    /// <summary><c>count</c>: asked for; the driver writes what it allocated.</summary>
    public uint Count;

    /// <summary><c>type</c>.</summary>
    public uint Type;

    /// <summary><c>memory</c> (<see cref="V4l2Constants.MemoryMmap"/>).</summary>
    public uint Memory;

    /// <summary><c>capabilities</c>.</summary>
    public uint Capabilities;

    /// <summary><c>__u8 flags</c>.</summary>
    public byte Flags;

    /// <summary><c>__u8 reserved[3]</c>.</summary>
    public fixed byte Reserved[3];
}
