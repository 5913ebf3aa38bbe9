namespace CamStreamd.Interop.V4l2;

/// <summary>What VIDIOC_QUERYCAP says about a node.</summary>
/// <param name="Driver">Driver name (<c>uvcvideo</c>, <c>vivid</c>, <c>rkisp_v5</c>).</param>
/// <param name="Card">Device name.</param>
/// <param name="BusInfo">Bus location.</param>
/// <param name="DeviceCaps">The node's capabilities (device_caps, or capabilities on old drivers).</param>
public sealed record V4l2DeviceDescription(string Driver, string Card, string BusInfo, uint DeviceCaps)
{
    /// <summary>True for a multi-planar capture node.</summary>
    public bool IsMultiplanar => (DeviceCaps & V4l2Constants.CapVideoCaptureMplane) != 0;

    /// <summary>True when the node captures video with streaming I/O.</summary>
    public bool IsStreamingCapture =>
        (DeviceCaps & (V4l2Constants.CapVideoCapture | V4l2Constants.CapVideoCaptureMplane)) != 0
        && (DeviceCaps & V4l2Constants.CapStreaming) != 0;

    /// <summary>The buffer type to use (multi-planar when only that is offered).</summary>
    public uint BufferType => (DeviceCaps & V4l2Constants.CapVideoCapture) == 0 && IsMultiplanar
        ? V4l2Constants.BufTypeVideoCaptureMplane
        : V4l2Constants.BufTypeVideoCapture;
}
