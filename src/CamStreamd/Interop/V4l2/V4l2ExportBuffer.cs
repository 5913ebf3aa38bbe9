using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary><c>struct v4l2_exportbuffer</c> (VIDIOC_EXPBUF: a buffer plane as a DMABUF fd), 64 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct V4l2ExportBuffer
{
    /// <summary><c>type</c>.</summary>
    public uint Type;

    /// <summary><c>index</c>.</summary>
    public uint Index;

    /// <summary><c>plane</c>.</summary>
    public uint Plane;

    /// <summary><c>flags</c> (O_CLOEXEC, O_RDONLY...).</summary>
    public uint Flags;

    /// <summary><c>fd</c>: written by the driver.</summary>
    public int Fd;

    /// <summary><c>__u32 reserved[11]</c>.</summary>
    public fixed uint Reserved[11];
}
