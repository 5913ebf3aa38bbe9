using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary><c>struct v4l2_streamparm</c> (VIDIOC_G_PARM/S_PARM), 204 bytes: <c>type</c>, then a 200-byte union at 4.</summary>
[StructLayout(LayoutKind.Explicit, Size = 204)]
public struct V4l2StreamParm
{
    /// <summary><c>__u32 type</c>.</summary>
    [FieldOffset(0)]
    public uint Type;

    /// <summary><c>parm.capture</c>.</summary>
    [FieldOffset(4)]
    public V4l2CaptureParm Capture;
}
