using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary><c>struct v4l2_pix_format_mplane</c> (multi-planar <c>fmt.pix_mp</c>), 192 bytes, packed.</summary>
[StructLayout(LayoutKind.Explicit, Size = 192)]
public struct V4l2PixFormatMplane
{
    /// <summary><c>width</c>.</summary>
    [FieldOffset(0)]
    public uint Width;

    /// <summary><c>height</c>.</summary>
    [FieldOffset(4)]
    public uint Height;

    /// <summary><c>pixelformat</c>.</summary>
    [FieldOffset(8)]
    public uint PixelFormat;

    /// <summary><c>field</c>.</summary>
    [FieldOffset(12)]
    public uint Field;

    /// <summary><c>colorspace</c>.</summary>
    [FieldOffset(16)]
    public uint Colorspace;

    /// <summary><c>plane_fmt[8]</c>.</summary>
    [FieldOffset(20)]
    public V4l2PlanePixFormats PlaneFormats;

    /// <summary><c>__u8 num_planes</c>.</summary>
    [FieldOffset(180)]
    public byte NumPlanes;

    /// <summary><c>__u8 flags</c>.</summary>
    [FieldOffset(181)]
    public byte Flags;

    /// <summary><c>__u8 ycbcr_enc</c>.</summary>
    [FieldOffset(182)]
    public byte YcbcrEncoding;

    /// <summary><c>__u8 quantization</c>.</summary>
    [FieldOffset(183)]
    public byte Quantization;

    /// <summary><c>__u8 xfer_func</c>.</summary>
    [FieldOffset(184)]
    public byte TransferFunction;
}
