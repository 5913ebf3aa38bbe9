namespace CamStreamd.Interop.V4l2;

/// <summary>
/// VIDIOC_* request codes as the kernel computes them with <c>_IOR/_IOW/_IOWR('V', nr, type)</c>:
/// direction in bits 30–31 (1 write, 2 read, 3 both), the struct size in bits 16–29, 'V' (0x56)
/// in bits 8–15, the number in bits 0–7. The sizes are the 64-bit ones (x86-64 and arm64 agree);
/// the layout test compares every code with the kernel header.
/// </summary>
public static class V4l2Ioctl
{
    /// <summary><c>_IOR('V', 0, struct v4l2_capability)</c>, size 104.</summary>
    public const uint QueryCap = 0x80685600;

    /// <summary><c>_IOWR('V', 2, struct v4l2_fmtdesc)</c>, size 64.</summary>
    public const uint EnumFmt = 0xC0405602;

    /// <summary><c>_IOWR('V', 4, struct v4l2_format)</c>, size 208.</summary>
    public const uint GFmt = 0xC0D05604;

    /// <summary><c>_IOWR('V', 5, struct v4l2_format)</c>, size 208.</summary>
    public const uint SFmt = 0xC0D05605;

    /// <summary><c>_IOWR('V', 8, struct v4l2_requestbuffers)</c>, size 20.</summary>
    public const uint ReqBufs = 0xC0145608;

    /// <summary><c>_IOWR('V', 9, struct v4l2_buffer)</c>, size 88.</summary>
    public const uint QueryBuf = 0xC0585609;

    /// <summary><c>_IOWR('V', 15, struct v4l2_buffer)</c>, size 88.</summary>
    public const uint QBuf = 0xC058560F;

    /// <summary><c>_IOWR('V', 16, struct v4l2_exportbuffer)</c>, size 64.</summary>
    public const uint ExpBuf = 0xC0405610;

    /// <summary><c>_IOWR('V', 17, struct v4l2_buffer)</c>, size 88.</summary>
    public const uint DQBuf = 0xC0585611;

    /// <summary><c>_IOW('V', 18, int)</c>, size 4.</summary>
    public const uint StreamOn = 0x40045612;

    /// <summary><c>_IOW('V', 19, int)</c>, size 4.</summary>
    public const uint StreamOff = 0x40045613;

    /// <summary><c>_IOWR('V', 21, struct v4l2_streamparm)</c>, size 204.</summary>
    public const uint GParm = 0xC0CC5615;

    /// <summary><c>_IOWR('V', 22, struct v4l2_streamparm)</c>, size 204.</summary>
    public const uint SParm = 0xC0CC5616;

    /// <summary><c>_IOWR('V', 74, struct v4l2_frmsizeenum)</c>, size 44.</summary>
    public const uint EnumFrameSizes = 0xC02C564A;

    /// <summary><c>_IOWR('V', 75, struct v4l2_frmivalenum)</c>, size 52.</summary>
    public const uint EnumFrameIntervals = 0xC034564B;

    /// <summary>The name of <paramref name="request"/> for error messages.</summary>
    public static string Name(uint request) => request switch
    {
        QueryCap => "VIDIOC_QUERYCAP",
        EnumFmt => "VIDIOC_ENUM_FMT",
        GFmt => "VIDIOC_G_FMT",
        SFmt => "VIDIOC_S_FMT",
        ReqBufs => "VIDIOC_REQBUFS",
        QueryBuf => "VIDIOC_QUERYBUF",
        QBuf => "VIDIOC_QBUF",
        ExpBuf => "VIDIOC_EXPBUF",
        DQBuf => "VIDIOC_DQBUF",
        StreamOn => "VIDIOC_STREAMON",
        StreamOff => "VIDIOC_STREAMOFF",
        GParm => "VIDIOC_G_PARM",
        SParm => "VIDIOC_S_PARM",
        EnumFrameSizes => "VIDIOC_ENUM_FRAMESIZES",
        EnumFrameIntervals => "VIDIOC_ENUM_FRAMEINTERVALS",
        _ => "ioctl 0x" + request.ToString("X8", System.Globalization.CultureInfo.InvariantCulture),
    };
}
