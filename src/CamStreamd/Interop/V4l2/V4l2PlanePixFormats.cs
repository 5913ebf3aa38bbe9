using System.Runtime.CompilerServices;

namespace CamStreamd.Interop.V4l2;

/// <summary><c>struct v4l2_plane_pix_format plane_fmt[VIDEO_MAX_PLANES]</c>: 8 planes, 160 bytes.</summary>
[InlineArray(V4l2Constants.VideoMaxPlanes)]
public struct V4l2PlanePixFormats
{
    private V4l2PlanePixFormat _element;
}
