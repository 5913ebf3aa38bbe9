namespace CamStreamd.Interop.Gpio;

/// <summary>Builds the <see cref="gpio_v2_line_request"/> structures the daemon sends.</summary>
internal static unsafe class GpioLineRequests
{
    /// <summary>
    /// One line <paramref name="offset"/> as an output (active-low when <paramref name="activeLow"/>),
    /// starting at logical <paramref name="initialActive"/> through a GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES
    /// attribute, so the line is driven from the moment it is requested, without a glitch.
    /// </summary>
    public static gpio_v2_line_request Output(uint offset, bool activeLow, bool initialActive, string consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        gpio_v2_line_request request = default;
        request.offsets[0] = offset;
        request.num_lines = 1;
        var name = System.Text.Encoding.UTF8.GetBytes(consumer);
        var length = Math.Min(name.Length, GpioConstants.GPIO_MAX_NAME_SIZE - 1); // keep the NUL
        for (var i = 0; i < length; i++)
        {
            request.consumer[i] = name[i];
        }

        request.config.flags = GpioConstants.GPIO_V2_LINE_FLAG_OUTPUT | (activeLow ? GpioConstants.GPIO_V2_LINE_FLAG_ACTIVE_LOW : 0);
        request.config.num_attrs = 1;
        request.config.attrs[0].attr.id = GpioConstants.GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
        request.config.attrs[0].attr.value = initialActive ? 1UL : 0UL;
        request.config.attrs[0].mask = 1; // line 0 of this request
        return request;
    }
}
