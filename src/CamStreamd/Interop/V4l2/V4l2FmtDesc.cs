using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary><c>struct v4l2_fmtdesc</c> (VIDIOC_ENUM_FMT), 64 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct V4l2FmtDesc
{
    /// <summary><c>__u32 index</c>: set by the caller, from 0.</summary>
    public uint Index;

    /// <summary><c>__u32 type</c>: buffer type, set by the caller.</summary>
    public uint Type;

    /// <summary><c>__u32 flags</c> (<see cref="V4l2Constants.FmtFlagCompressed"/>).</summary>
    public uint Flags;

    /// <summary><c>__u8 description[32]</c>.</summary>
    public fixed byte Description[32];

    /// <summary><c>__u32 pixelformat</c>: fourcc.</summary>
    public uint PixelFormat;

    /// <summary><c>__u32 mbus_code</c>.</summary>
    public uint MbusCode;

    /// <summary><c>__u32 reserved[3]</c>.</summary>
    public fixed uint Reserved[3];
}
