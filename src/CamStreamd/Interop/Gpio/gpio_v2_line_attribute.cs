using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Gpio;

/// <summary>
/// <c>struct gpio_v2_line_attribute</c> (16 bytes): <c>__u32 id; __u32 padding;</c> then a union of
/// <c>flags</c>/<c>values</c> (u64) and <c>debounce_period_us</c> (u32), held here as its u64.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct gpio_v2_line_attribute
{
    /// <summary>enum gpio_v2_line_attr_id.</summary>
    public uint id;

    /// <summary>Must be zero.</summary>
    public uint padding;

    /// <summary>The union: flags, values, or debounce_period_us in the low 32 bits (little-endian).</summary>
    public ulong value;
}
