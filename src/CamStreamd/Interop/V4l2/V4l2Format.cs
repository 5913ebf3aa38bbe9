using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary>
/// <c>struct v4l2_format</c> (VIDIOC_G_FMT/S_FMT), 208 bytes on 64-bit: <c>type</c>, then a
/// 200-byte union aligned to 8 (it contains pointers in <c>v4l2_window</c>), so it starts at 8.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 208)]
public struct V4l2Format
{
    /// <summary><c>__u32 type</c>.</summary>
    [FieldOffset(0)]
    public uint Type;

    /// <summary><c>fmt.pix</c> (single-planar capture).</summary>
    [FieldOffset(8)]
    public V4l2PixFormat Pix;

    /// <summary><c>fmt.pix_mp</c> (multi-planar capture).</summary>
    [FieldOffset(8)]
    public V4l2PixFormatMplane PixMp;
}
