using System.Runtime.InteropServices;

namespace CamStreamd.Interop.Gpio;

/// <summary>
/// <c>struct gpio_v2_line_config</c> (272 bytes): <c>__aligned_u64 flags</c> at 0, <c>__u32 num_attrs</c>
/// at 8, <c>__u32 padding[5]</c> at 12, <c>attrs[10]</c> at 32.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct gpio_v2_line_config
{
    /// <summary>GPIO_V2_LINE_FLAG_* for every line without a flags attribute.</summary>
    public ulong flags;

    /// <summary>Attributes used in <see cref="attrs"/>.</summary>
    public uint num_attrs;

    /// <summary>Must be zero.</summary>
    public fixed uint padding[5];

    /// <summary>Per-line attributes.</summary>
    public gpio_v2_line_config_attributes attrs;
}
