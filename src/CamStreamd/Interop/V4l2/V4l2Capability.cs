using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary><c>struct v4l2_capability</c> (VIDIOC_QUERYCAP), 104 bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
public unsafe struct V4l2Capability
{
    /// <summary><c>__u8 driver[16]</c>: driver name, NUL-terminated.</summary>
    public fixed byte Driver[16];

    /// <summary><c>__u8 card[32]</c>: device name.</summary>
    public fixed byte Card[32];

    /// <summary><c>__u8 bus_info[32]</c>: where the device sits (<c>usb-...</c>, <c>platform:...</c>).</summary>
    public fixed byte BusInfo[32];

    /// <summary><c>__u32 version</c>: kernel version the driver was built for.</summary>
    public uint Version;

    /// <summary><c>__u32 capabilities</c>: of the whole physical device.</summary>
    public uint Capabilities;

    /// <summary><c>__u32 device_caps</c>: of this node (valid when <see cref="V4l2Constants.CapDeviceCaps"/> is set).</summary>
    public uint DeviceCaps;

    /// <summary><c>__u32 reserved[3]</c>.</summary>
    public fixed uint Reserved[3];
}
