using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary>
/// <c>struct v4l2_frmivalenum</c> (VIDIOC_ENUM_FRAMEINTERVALS), 52 bytes. The union at 20 holds
/// one <c>v4l2_fract</c> (discrete) or <c>v4l2_frmival_stepwise</c> (min, max, step).
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 52)]
public struct V4l2FrameIntervalEntry
{
    /// <summary><c>__u32 index</c>.</summary>
    [FieldOffset(0)]
    public uint Index;

    /// <summary><c>__u32 pixel_format</c>.</summary>
    [FieldOffset(4)]
    public uint PixelFormat;

    /// <summary><c>__u32 width</c>.</summary>
    [FieldOffset(8)]
    public uint Width;

    /// <summary><c>__u32 height</c>.</summary>
    [FieldOffset(12)]
    public uint Height;

    /// <summary><c>__u32 type</c>: discrete (1), continuous (2) or stepwise (3).</summary>
    [FieldOffset(16)]
    public uint Type;

    /// <summary><c>discrete</c> or <c>stepwise.min</c>.</summary>
    [FieldOffset(20)]
    public V4l2Fract Discrete;

    /// <summary><c>stepwise.max</c>.</summary>
    [FieldOffset(28)]
    public V4l2Fract Max;

    /// <summary><c>stepwise.step</c>.</summary>
    [FieldOffset(36)]
    public V4l2Fract Step;

    /// <summary><c>__u32 reserved[2]</c> (first).</summary>
    [FieldOffset(44)]
    public uint Reserved0;

    /// <summary><c>__u32 reserved[2]</c> (second).</summary>
    [FieldOffset(48)]
    public uint Reserved1;
}
