using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Gpio;

/// <summary>
/// <c>struct gpio_v2_line_request</c> (592 bytes), the argument of GPIO_V2_GET_LINE_IOCTL:
/// <c>offsets[64]</c> at 0, <c>consumer[32]</c> at 256, <c>config</c> at 288, <c>num_lines</c> at 560,
/// <c>event_buffer_size</c> at 564, <c>padding[5]</c> at 568, <c>fd</c> at 588 (filled in by the kernel).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct gpio_v2_line_request
{
    /// <summary>Line offsets on the chip.</summary>
    public fixed uint offsets[GpioConstants.GPIO_V2_LINES_MAX];

    /// <summary>Who holds the lines (shown by gpioinfo), NUL-terminated.</summary>
    public fixed byte consumer[GpioConstants.GPIO_MAX_NAME_SIZE];

    /// <summary>Direction, flags and initial values.</summary>
    public gpio_v2_line_config config;

    /// <summary>Offsets used in <see cref="offsets"/>.</summary>
    public uint num_lines;

    /// <summary>Edge event buffer (0 = kernel default; unused for outputs).</summary>
    public uint event_buffer_size;

    /// <summary>Must be zero.</summary>
    public fixed uint padding[5];

    /// <summary>The new line-request file descriptor, set by the kernel on success.</summary>
    public int fd;
}
