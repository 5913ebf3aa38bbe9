using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary><c>struct v4l2_plane_pix_format</c> (one plane of a multi-planar format), 20 bytes, packed.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public unsafe struct V4l2PlanePixFormat
{
    /// <summary><c>sizeimage</c>.</summary>
    public uint SizeImage;

    /// <summary><c>bytesperline</c>.</summary>
    public uint BytesPerLine;

    /// <summary><c>__u16 reserved[6]</c>.</summary>
    public fixed ushort Reserved[6];
}
