using System.Runtime.CompilerServices;

namespace CamStreamd.Interop.Gpio;

/// <summary><c>struct gpio_v2_line_config_attribute attrs[GPIO_V2_LINE_NUM_ATTRS_MAX]</c> (10 × 24 bytes).</summary>
[InlineArray(GpioConstants.GPIO_V2_LINE_NUM_ATTRS_MAX)]
internal struct gpio_v2_line_config_attributes
{
    private gpio_v2_line_config_attribute _element0;
}
