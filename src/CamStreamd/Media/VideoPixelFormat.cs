namespace CamStreamd.Media;

/// <summary>How a <see cref="VideoFrame"/>'s bytes are laid out (the V4L2 fourcc it came as).</summary>
public enum VideoPixelFormat
{
    /// <summary>Planar 4:2:0: Y, then U (Cb), then V (Cr) planes (V4L2 <c>YU12</c>, FFmpeg <c>yuv420p</c>).</summary>
    I420,

    /// <summary>Semi-planar 4:2:0: Y plane, then interleaved CbCr plane (V4L2 <c>NV12</c>/<c>NM12</c>, FFmpeg <c>nv12</c>).</summary>
    Nv12,

    /// <summary>Packed 4:2:2: Y0 Cb Y1 Cr per two pixels (V4L2 <c>YUYV</c>, FFmpeg <c>yuyv422</c>).</summary>
    Yuyv,

    /// <summary>One JPEG image per frame (V4L2 <c>MJPG</c>); plane 0 is the payload.</summary>
    Mjpeg,

    /// <summary>One H.264 access unit in Annex-B per frame (V4L2 <c>H264</c>); plane 0 is the payload.</summary>
    H264,
}
