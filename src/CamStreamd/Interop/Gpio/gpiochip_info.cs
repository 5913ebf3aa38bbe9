using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Gpio;

/// <summary><c>struct gpiochip_info</c> (68 bytes): what GPIO_GET_CHIPINFO_IOCTL returns.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct gpiochip_info
{
    /// <summary>Kernel name of the chip (e.g. "gpiochip0"), NUL-terminated.</summary>
    public fixed byte name[GpioConstants.GPIO_MAX_NAME_SIZE];

    /// <summary>Functional label (e.g. the controller's name), NUL-terminated.</summary>
    public fixed byte label[GpioConstants.GPIO_MAX_NAME_SIZE];

    /// <summary>Number of lines on the chip.</summary>
    public uint lines;
}
