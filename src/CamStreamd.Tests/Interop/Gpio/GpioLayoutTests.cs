using System.Runtime.InteropServices;
using CamStreamd.Interop.Gpio;

namespace CamStreamd.Tests.Interop.Gpio;

/// <summary>
/// The uAPI v2 structures and ioctl numbers against <c>linux/gpio.h</c>: a C probe prints sizes,
/// offsets, request codes and the bytes of a request filled the way the daemon fills it; compiled
/// for this machine and for arm64 (run under qemu-aarch64-static).
/// </summary>
public sealed unsafe class GpioLayoutTests
{
    private const uint Line = 51;
    private const string Consumer = "camstreamd-phy-reset";

    private const string Probe = """
        #include <stdio.h>
        #include <stddef.h>
        #include <string.h>
        #include <linux/gpio.h>
        #define SIZE(t) printf("sizeof." #t " %zu\n", sizeof(struct t))
        #define OFF(t, f) printf("offsetof." #t "." #f " %zu\n", offsetof(struct t, f))
        #define NUM(n) printf(#n " 0x%llx\n", (unsigned long long)(n))
        int main(void)
        {
            SIZE(gpio_v2_line_request); SIZE(gpio_v2_line_config); SIZE(gpio_v2_line_config_attribute);
            SIZE(gpio_v2_line_attribute); SIZE(gpio_v2_line_values); SIZE(gpiochip_info);
            OFF(gpio_v2_line_request, consumer); OFF(gpio_v2_line_request, config); OFF(gpio_v2_line_request, num_lines);
            OFF(gpio_v2_line_request, event_buffer_size); OFF(gpio_v2_line_request, padding); OFF(gpio_v2_line_request, fd);
            OFF(gpio_v2_line_config, num_attrs); OFF(gpio_v2_line_config, padding); OFF(gpio_v2_line_config, attrs);
            OFF(gpio_v2_line_config_attribute, mask); OFF(gpio_v2_line_attribute, values); OFF(gpiochip_info, lines);
            NUM(GPIO_V2_GET_LINE_IOCTL); NUM(GPIO_V2_LINE_SET_VALUES_IOCTL); NUM(GPIO_GET_CHIPINFO_IOCTL);
            NUM(GPIO_V2_LINE_FLAG_ACTIVE_LOW); NUM(GPIO_V2_LINE_FLAG_INPUT); NUM(GPIO_V2_LINE_FLAG_OUTPUT);
            NUM(GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES); NUM(GPIO_MAX_NAME_SIZE); NUM(GPIO_V2_LINES_MAX); NUM(GPIO_V2_LINE_NUM_ATTRS_MAX);

            /* The request the PHY reset sends: line 51, output, active-low, starting asserted. */
            struct gpio_v2_line_request r;
            memset(&r, 0, sizeof r);
            r.offsets[0] = 51;
            strncpy(r.consumer, "camstreamd-phy-reset", sizeof r.consumer - 1);
            r.config.flags = GPIO_V2_LINE_FLAG_OUTPUT | GPIO_V2_LINE_FLAG_ACTIVE_LOW;
            r.config.num_attrs = 1;
            r.config.attrs[0].attr.id = GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES;
            r.config.attrs[0].attr.values = 1;
            r.config.attrs[0].mask = 1;
            r.num_lines = 1;
            printf("bytes.request ");
            for (size_t i = 0; i < sizeof r; i++) printf("%02x", ((unsigned char *)&r)[i]);
            printf("\n");
            return 0;
        }
        """;

    [Theory]
    [InlineData(CProbeTarget.Native)]
    [InlineData(CProbeTarget.Aarch64)]
    public void Structures_and_request_codes_match_the_kernel_header(CProbeTarget target)
    {
        var probe = CLayoutProbe.Run(Probe, target);
        gpio_v2_line_request r = default;
        var request = (byte*)&r;
        var config = (byte*)&r.config;

        Assert.Equal(592UL, CLayoutProbe.Number(probe, "sizeof.gpio_v2_line_request"));
        (string Key, long Ours)[] expected =
        [
            ("sizeof.gpio_v2_line_request", sizeof(gpio_v2_line_request)),
            ("sizeof.gpio_v2_line_config", sizeof(gpio_v2_line_config)),
            ("sizeof.gpio_v2_line_config_attribute", sizeof(gpio_v2_line_config_attribute)),
            ("sizeof.gpio_v2_line_attribute", sizeof(gpio_v2_line_attribute)),
            ("sizeof.gpio_v2_line_values", sizeof(gpio_v2_line_values)),
            ("sizeof.gpiochip_info", sizeof(gpiochip_info)),
            ("offsetof.gpio_v2_line_request.consumer", (byte*)r.consumer - request),
            ("offsetof.gpio_v2_line_request.config", config - request),
            ("offsetof.gpio_v2_line_request.num_lines", (byte*)&r.num_lines - request),
            ("offsetof.gpio_v2_line_request.event_buffer_size", (byte*)&r.event_buffer_size - request),
            ("offsetof.gpio_v2_line_request.padding", (byte*)r.padding - request),
            ("offsetof.gpio_v2_line_request.fd", (byte*)&r.fd - request),
            ("offsetof.gpio_v2_line_config.num_attrs", (byte*)&r.config.num_attrs - config),
            ("offsetof.gpio_v2_line_config.padding", (byte*)r.config.padding - config),
            ("offsetof.gpio_v2_line_config.attrs", (byte*)&r.config.attrs - config),
            ("offsetof.gpio_v2_line_config_attribute.mask", (byte*)&r.config.attrs[0].mask - (byte*)&r.config.attrs[0]),
            ("offsetof.gpio_v2_line_attribute.values", (byte*)&r.config.attrs[0].attr.value - (byte*)&r.config.attrs[0].attr),
            ("offsetof.gpiochip_info.lines", Marshal.OffsetOf<gpiochip_info>(nameof(gpiochip_info.lines)).ToInt64()),
            ("GPIO_V2_GET_LINE_IOCTL", GpioConstants.GPIO_V2_GET_LINE_IOCTL),
            ("GPIO_V2_LINE_SET_VALUES_IOCTL", GpioConstants.GPIO_V2_LINE_SET_VALUES_IOCTL),
            ("GPIO_GET_CHIPINFO_IOCTL", GpioConstants.GPIO_GET_CHIPINFO_IOCTL),
            ("GPIO_V2_LINE_FLAG_ACTIVE_LOW", (long)GpioConstants.GPIO_V2_LINE_FLAG_ACTIVE_LOW),
            ("GPIO_V2_LINE_FLAG_INPUT", (long)GpioConstants.GPIO_V2_LINE_FLAG_INPUT),
            ("GPIO_V2_LINE_FLAG_OUTPUT", (long)GpioConstants.GPIO_V2_LINE_FLAG_OUTPUT),
            ("GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES", GpioConstants.GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES),
            ("GPIO_MAX_NAME_SIZE", GpioConstants.GPIO_MAX_NAME_SIZE),
            ("GPIO_V2_LINES_MAX", GpioConstants.GPIO_V2_LINES_MAX),
            ("GPIO_V2_LINE_NUM_ATTRS_MAX", GpioConstants.GPIO_V2_LINE_NUM_ATTRS_MAX),
        ];
        foreach (var (key, ours) in expected)
        {
            var header = CLayoutProbe.Number(probe, key);
            Assert.True((ulong)ours == header, $"{target} {key}: ours {ours} (0x{ours:x}), linux/gpio.h {header} (0x{header:x})");
        }
    }

    [Theory]
    [InlineData(CProbeTarget.Native)]
    [InlineData(CProbeTarget.Aarch64)]
    public void Filled_request_has_the_bytes_the_header_gives(CProbeTarget target)
    {
        var probe = CLayoutProbe.Run(Probe, target);
        var request = GpioLineRequests.Output(Line, activeLow: true, initialActive: true, Consumer);

        var ours = Convert.ToHexStringLower(MemoryMarshal.AsBytes(new ReadOnlySpan<gpio_v2_line_request>(in request)));

        Assert.Equal(probe["bytes.request"], ours);
    }
}
