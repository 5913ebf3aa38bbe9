using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary>
/// <c>struct v4l2_frmsizeenum</c> (VIDIOC_ENUM_FRAMESIZES), 44 bytes. The union at 12 holds
/// <c>v4l2_frmsize_discrete</c> (width, height) or <c>v4l2_frmsize_stepwise</c> (min/max/step
/// width, then min/max/step height) depending on <see cref="Type"/>.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 44)]
public struct V4l2FrameSizeEntry
{
    /// <summary><c>__u32 index</c>.</summary>
    [FieldOffset(0)]
    public uint Index;

    /// <summary><c>__u32 pixel_format</c>.</summary>
    [FieldOffset(4)]
    public uint PixelFormat;

    /// <summary><c>__u32 type</c>: discrete (1), continuous (2) or stepwise (3).</summary>
    [FieldOffset(8)]
    public uint Type;

    /// <summary><c>discrete.width</c> or <c>stepwise.min_width</c>.</summary>
    [FieldOffset(12)]
    public uint Width;

    /// <summary><c>discrete.height</c> or <c>stepwise.max_width</c>.</summary>
    [FieldOffset(16)]
    public uint Height;

    /// <summary><c>stepwise.step_width</c>.</summary>
    [FieldOffset(20)]
    public uint StepWidth;

    /// <summary><c>stepwise.min_height</c>.</summary>
    [FieldOffset(24)]
    public uint MinHeight;

    /// <summary><c>stepwise.max_height</c>.</summary>
    [FieldOffset(28)]
    public uint MaxHeight;

    /// <summary><c>stepwise.step_height</c>.</summary>
    [FieldOffset(32)]
    public uint StepHeight;

    /// <summary><c>__u32 reserved[2]</c> (first).</summary>
    [FieldOffset(36)]
    public uint Reserved0;

    /// <summary><c>__u32 reserved[2]</c> (second).</summary>
    [FieldOffset(40)]
    public uint Reserved1;

    /// <summary><c>stepwise.min_width</c> (same bytes as <see cref="Width"/>).</summary>
    public readonly uint MinWidth => Width;

    /// <summary><c>stepwise.max_width</c> (same bytes as <see cref="Height"/>).</summary>
    public readonly uint MaxWidth => Height;
}
