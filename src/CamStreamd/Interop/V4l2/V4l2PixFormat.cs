using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary><c>struct v4l2_pix_format</c> (single-planar <c>fmt.pix</c>), 48 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public struct V4l2PixFormat
{
    /// <summary><c>width</c>.</summary>
    public uint Width;

    /// <summary><c>height</c>.</summary>
    public uint Height;

    /// <summary><c>pixelformat</c>: fourcc.</summary>
    public uint PixelFormat;

    /// <summary><c>field</c> (<see cref="V4l2Constants.FieldNone"/> for progressive).</summary>
    public uint Field;

    /// <summary><c>bytesperline</c>: stride of the first plane (0 for compressed formats).</summary>
    public uint BytesPerLine;

    /// <summary><c>sizeimage</c>: bytes of one buffer.</summary>
    public uint SizeImage;

    /// <summary><c>colorspace</c>.</summary>
    public uint Colorspace;

    /// <summary><c>priv</c>.</summary>
    public uint Priv;

    /// <summary><c>flags</c>.</summary>
    public uint Flags;

    /// <summary><c>ycbcr_enc</c> (union with <c>hsv_enc</c>).</summary>
    public uint YcbcrEncoding;

    /// <summary><c>quantization</c>.</summary>
    public uint Quantization;

    /// <summary><c>xfer_func</c>.</summary>
    public uint TransferFunction;
}
