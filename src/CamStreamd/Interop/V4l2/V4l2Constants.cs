namespace CamStreamd.Interop.V4l2;

/// <summary>Capability bits, buffer types, memory types, flags and field values from linux/videodev2.h.</summary>
public static class V4l2Constants
{
    /// <summary><c>VIDEO_MAX_PLANES</c>.</summary>
    public const int VideoMaxPlanes = 8;

    /// <summary><c>V4L2_CAP_VIDEO_CAPTURE</c>: single-planar capture.</summary>
    public const uint CapVideoCapture = 0x00000001;

    /// <summary><c>V4L2_CAP_VIDEO_CAPTURE_MPLANE</c>: multi-planar capture (ISPs such as rkisp).</summary>
    public const uint CapVideoCaptureMplane = 0x00001000;

    /// <summary><c>V4L2_CAP_STREAMING</c>: streaming I/O (mmap buffers).</summary>
    public const uint CapStreaming = 0x04000000;

    /// <summary><c>V4L2_CAP_DEVICE_CAPS</c>: <c>device_caps</c> is valid.</summary>
    public const uint CapDeviceCaps = 0x80000000;

    /// <summary><c>V4L2_BUF_TYPE_VIDEO_CAPTURE</c>.</summary>
    public const uint BufTypeVideoCapture = 1;

    /// <summary><c>V4L2_BUF_TYPE_VIDEO_CAPTURE_MPLANE</c>.</summary>
    public const uint BufTypeVideoCaptureMplane = 9;

    /// <summary><c>V4L2_MEMORY_MMAP</c>.</summary>
    public const uint MemoryMmap = 1;

    /// <summary><c>V4L2_FIELD_ANY</c>.</summary>
    public const uint FieldAny = 0;

    /// <summary><c>V4L2_FIELD_NONE</c>: progressive.</summary>
    public const uint FieldNone = 1;

    /// <summary><c>V4L2_FMT_FLAG_COMPRESSED</c>.</summary>
    public const uint FmtFlagCompressed = 0x0001;

    /// <summary><c>V4L2_FRMSIZE_TYPE_DISCRETE</c> (also <c>V4L2_FRMIVAL_TYPE_DISCRETE</c>).</summary>
    public const uint FrmTypeDiscrete = 1;

    /// <summary><c>V4L2_FRMSIZE_TYPE_CONTINUOUS</c> (also for intervals).</summary>
    public const uint FrmTypeContinuous = 2;

    /// <summary><c>V4L2_FRMSIZE_TYPE_STEPWISE</c> (also for intervals).</summary>
    public const uint FrmTypeStepwise = 3;

    /// <summary><c>V4L2_CAP_TIMEPERFRAME</c> in <c>v4l2_captureparm.capability</c>: the frame rate can be set.</summary>
    public const uint CapTimePerFrame = 0x1000;

    /// <summary><c>V4L2_BUF_FLAG_ERROR</c>: the buffer's data may be corrupt.</summary>
    public const uint BufFlagError = 0x00000040;

    /// <summary><c>V4L2_BUF_FLAG_TIMESTAMP_MASK</c>.</summary>
    public const uint BufFlagTimestampMask = 0x0000E000;

    /// <summary><c>V4L2_BUF_FLAG_TIMESTAMP_MONOTONIC</c>: the timestamp is on CLOCK_MONOTONIC.</summary>
    public const uint BufFlagTimestampMonotonic = 0x00002000;
}
