namespace CamStreamd.Interop.Gpio;

/// <summary>
/// Numbers from <c>linux/gpio.h</c> (GPIO character device uAPI v2, Linux 5.10+), verbatim names.
/// Identical on x86-64 and arm64; checked against the header by a compiled probe (tests).
/// </summary>
internal static class GpioConstants
{
    /// <summary>GPIO_MAX_NAME_SIZE: bytes of name/label/consumer strings, NUL included.</summary>
    public const int GPIO_MAX_NAME_SIZE = 32;

    /// <summary>GPIO_V2_LINES_MAX: offsets one request can hold.</summary>
    public const int GPIO_V2_LINES_MAX = 64;

    /// <summary>GPIO_V2_LINE_NUM_ATTRS_MAX: attributes one line config can hold.</summary>
    public const int GPIO_V2_LINE_NUM_ATTRS_MAX = 10;

    /// <summary>GPIO_V2_LINE_FLAG_ACTIVE_LOW = _BITULL(1): values are inverted (1 drives the line low).</summary>
    public const ulong GPIO_V2_LINE_FLAG_ACTIVE_LOW = 1UL << 1;

    /// <summary>GPIO_V2_LINE_FLAG_INPUT = _BITULL(2).</summary>
    public const ulong GPIO_V2_LINE_FLAG_INPUT = 1UL << 2;

    /// <summary>GPIO_V2_LINE_FLAG_OUTPUT = _BITULL(3).</summary>
    public const ulong GPIO_V2_LINE_FLAG_OUTPUT = 1UL << 3;

    /// <summary>GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES (enum gpio_v2_line_attr_id): initial output values for the masked lines.</summary>
    public const uint GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES = 2;

    /// <summary>
    /// GPIO_GET_CHIPINFO_IOCTL = _IOR(0xB4, 0x01, struct gpiochip_info):
    /// (2 &lt;&lt; 30) | (68 &lt;&lt; 16) | (0xB4 &lt;&lt; 8) | 0x01.
    /// </summary>
    public const uint GPIO_GET_CHIPINFO_IOCTL = 0x8044B401;

    /// <summary>
    /// GPIO_V2_GET_LINE_IOCTL = _IOWR(0xB4, 0x07, struct gpio_v2_line_request):
    /// (3 &lt;&lt; 30) | (592 &lt;&lt; 16) | (0xB4 &lt;&lt; 8) | 0x07.
    /// </summary>
    public const uint GPIO_V2_GET_LINE_IOCTL = 0xC250B407;

    /// <summary>
    /// GPIO_V2_LINE_SET_VALUES_IOCTL = _IOWR(0xB4, 0x0F, struct gpio_v2_line_values):
    /// (3 &lt;&lt; 30) | (16 &lt;&lt; 16) | (0xB4 &lt;&lt; 8) | 0x0F.
    /// </summary>
    public const uint GPIO_V2_LINE_SET_VALUES_IOCTL = 0xC010B40F;

    /// <summary>O_RDWR (asm-generic/fcntl.h; same on x86-64).</summary>
    public const int O_RDWR = 2;

    /// <summary>O_CLOEXEC = 02000000 octal (asm-generic/fcntl.h; same on x86-64).</summary>
    public const int O_CLOEXEC = 0x80000;
}
