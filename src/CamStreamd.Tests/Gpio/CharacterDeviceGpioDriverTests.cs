using System.Device.Gpio;
using CamStreamd.Gpio;
using CamStreamd.Interop.Gpio;

namespace CamStreamd.Tests.Gpio;

/// <summary>
/// Our uAPI v2 code as System.Device.Gpio's <see cref="GpioDriver"/>, used through
/// <see cref="GpioController"/>, against a fake chip at the ioctl boundary.
/// </summary>
public sealed class CharacterDeviceGpioDriverTests
{
    [Fact]
    public void Output_is_requested_once_with_direction_active_low_and_initial_level_then_written_and_released()
    {
        var chip = new FakeGpioChip(new ManualTimeProvider());
        var driver = new CharacterDeviceGpioDriver(chip, chip.Path, "camstreamd-test");
        driver.SetActiveLow(17, true);
        var controller = new GpioController(driver);

        controller.OpenPin(17, PinMode.Output, PinValue.High);

        // One request and no write before it: active-low asserted = physical 0 from the request on.
        Assert.Equal(["t=0 open /dev/gpiochip0", "t=0 chipinfo /dev/gpiochip0", "t=0 request level=0"], chip.Calls);
        var request = Assert.Single(chip.Requests);
        unsafe
        {
            Assert.Equal(17u, request.offsets[0]);
            var consumer = new byte[GpioConstants.GPIO_MAX_NAME_SIZE];
            for (var i = 0; i < consumer.Length; i++)
            {
                consumer[i] = request.consumer[i];
            }

            Assert.Equal("camstreamd-test", System.Text.Encoding.ASCII.GetString(consumer).TrimEnd('\0'));
        }

        Assert.Equal(1u, request.num_lines);
        Assert.Equal(GpioConstants.GPIO_V2_LINE_FLAG_OUTPUT | GpioConstants.GPIO_V2_LINE_FLAG_ACTIVE_LOW, request.config.flags);
        Assert.Equal(1u, request.config.num_attrs);
        Assert.Equal(GpioConstants.GPIO_V2_LINE_ATTR_ID_OUTPUT_VALUES, request.config.attrs[0].attr.id);
        Assert.Equal(1UL, request.config.attrs[0].attr.value);
        Assert.Equal(1UL, request.config.attrs[0].mask);

        controller.Write(17, PinValue.Low);
        controller.Toggle(17);
        Assert.Equal(PinValue.High, controller.Read(17));
        Assert.Equal(["t=0 set level=1", "t=0 set level=0"], chip.Calls.Skip(3));

        controller.ClosePin(17);
        Assert.True(chip.Handed[1].IsClosed, "closing the pin releases the line request");
        Assert.False(chip.Handed[0].IsClosed);
        controller.Dispose();
        Assert.True(chip.Handed[0].IsClosed, "disposing the controller closes the chip");
    }

    [Fact]
    public void Active_high_output_starts_at_the_asked_level()
    {
        var chip = new FakeGpioChip(new ManualTimeProvider());
        using var controller = new GpioController(new CharacterDeviceGpioDriver(chip, chip.Path, "t"));

        controller.OpenPin(2, PinMode.Output, PinValue.Low);

        Assert.Equal(GpioConstants.GPIO_V2_LINE_FLAG_OUTPUT, chip.LastRequest.config.flags);
        Assert.Equal(0UL, chip.LastRequest.config.attrs[0].attr.value);
        Assert.Equal("t=0 request level=0", chip.Calls[^1]);
    }

    [Fact]
    public void A_level_written_before_the_mode_is_the_level_the_line_is_requested_at()
    {
        var chip = new FakeGpioChip(new ManualTimeProvider());
        using var controller = new GpioController(new CharacterDeviceGpioDriver(chip, chip.Path, "t"));

        controller.OpenPin(4);
        controller.Write(4, PinValue.High); // not ours yet: the controller keeps it as the desired level
        Assert.Empty(chip.Requests);
        controller.SetPinMode(4, PinMode.Output);

        Assert.Equal(["t=0 open /dev/gpiochip0", "t=0 chipinfo /dev/gpiochip0", "t=0 request level=1"], chip.Calls);
    }

    [Fact]
    public void Inputs_and_edge_events_are_refused()
    {
        var chip = new FakeGpioChip(new ManualTimeProvider());
        using var controller = new GpioController(new CharacterDeviceGpioDriver(chip, chip.Path, "t"));

        controller.OpenPin(1);
        Assert.False(controller.IsPinModeSupported(1, PinMode.Input));
        Assert.Throws<InvalidOperationException>(() => controller.SetPinMode(1, PinMode.InputPullUp));
        Assert.Throws<NotSupportedException>(() => controller.RegisterCallbackForPinValueChangedEvent(1, PinEventTypes.Rising, (_, _) => { }));
        Assert.Empty(chip.Requests);
    }

    [Fact]
    public void Line_beyond_the_chip_and_a_busy_line_fail_naming_the_line_and_leave_nothing_open()
    {
        var chip = new FakeGpioChip(new ManualTimeProvider(), lines: 8);
        chip.Busy.Add(3);
        var lines = PhyResetTests.Lines(chip);

        var beyond = Assert.Throws<GpioException>(() => lines.OpenOutput(chip.Path, 8, activeLow: false, initialActive: false, "t"));
        var busy = Assert.Throws<GpioException>(() => lines.OpenOutput(chip.Path, 3, activeLow: false, initialActive: false, "t"));

        Assert.Equal("GPIO line 8 of /dev/gpiochip0: no such line, the chip has 8 lines (0..7)", beyond.Message);
        Assert.Equal("GPIO line 3 of /dev/gpiochip0: GPIO_V2_GET_LINE_IOCTL: Device or resource busy (errno 16)", busy.Message);
        Assert.Equal(GpioException.EBUSY, busy.Errno);
        Assert.All(chip.Handed, h => Assert.True(h.IsClosed));
    }

    [Fact]
    public void Missing_chip_fails_naming_it()
    {
        var chip = new FakeGpioChip(new ManualTimeProvider());

        var error = Assert.Throws<GpioException>(() => new CharacterDeviceGpioDriver(chip, "/dev/gpiochip5", "t"));

        Assert.Equal("GPIO chip /dev/gpiochip5: No such file or directory (errno 2)", error.Message);
    }
}
