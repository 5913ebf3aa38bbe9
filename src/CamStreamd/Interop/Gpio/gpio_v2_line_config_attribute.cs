using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Gpio;

/// <summary><c>struct gpio_v2_line_config_attribute</c> (24 bytes): an attribute and the lines it applies to.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct gpio_v2_line_config_attribute
{
    /// <summary>The attribute.</summary>
    public gpio_v2_line_attribute attr;

    /// <summary>Lines (bit i = line i of the request) the attribute applies to.</summary>
    public ulong mask;
}
