using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Gpio;

/// <summary><c>struct gpio_v2_line_values</c> (16 bytes): logical values of the requested lines, by index in the request.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct gpio_v2_line_values
{
    /// <summary>Value of each line (bit i = line i of the request); logical, so active-low lines are inverted by the kernel.</summary>
    public ulong bits;

    /// <summary>Which lines to set.</summary>
    public ulong mask;
}
