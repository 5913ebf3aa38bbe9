using System.Runtime.InteropServices;
using CamStreamd.Configuration;
using CamStreamd.Gpio;
using CamStreamd.Hosting;
using CamStreamd.Interop.Gpio;

namespace CamStreamd.Tests.Gpio;

/// <summary><c>gpio.driver</c>: which driver opens a line, its validation (exit 78) and its errors when libgpiod is missing.</summary>
public sealed class GpioDriverSelectionTests
{
    [Fact]
    public void Default_driver_is_our_character_device_code()
    {
        Assert.Equal(GpioDrivers.CharacterDevice, new GpioOptions().Driver);
        Assert.Equal(GpioDrivers.CharacterDevice, ConfigLoader.Parse("""{ "streams": [ { "name": "cam0", "source": { "type": "testPattern" } } ], "gpio": { "statusLed": { "line": 1 } } }""").Options.Gpio.Driver);
        var chip = new FakeGpioChip(new ManualTimeProvider());
        var loads = new List<string>();

        using var line = new GpioLines(GpioDrivers.CharacterDevice, chip, name => { loads.Add(name); return true; })
            .OpenOutput(chip.Path, 5, activeLow: true, initialActive: false, "t");

        Assert.Equal("t=0 request level=1", chip.Calls[^1]);
        Assert.Empty(loads); // no native library looked for
    }

    [Fact]
    public void Libgpiod_that_cannot_be_loaded_is_an_unavailable_error_naming_the_key_and_the_libraries()
    {
        var chip = new FakeGpioChip(new ManualTimeProvider());
        var tried = new List<string>();
        var lines = new GpioLines(GpioDrivers.Libgpiod, chip, name => { tried.Add(name); return false; });

        var error = Assert.Throws<GpioException>(() => lines.OpenOutput("/dev/gpiochip0", 5, activeLow: false, initialActive: false, "t"));

        Assert.StartsWith("gpio.driver: \"libgpiod\" is set but libgpiod cannot be loaded (none of libgpiod.so.3, libgpiod.so.2, libgpiod.so.1 is installed)", error.Message, StringComparison.Ordinal);
        Assert.Equal(["libgpiod.so.3", "libgpiod.so.2", "libgpiod.so.1"], tried);
        Assert.Empty(chip.Calls); // the character device was not touched
        Assert.True(StartupFailure.IsUnavailable(error, out _));
    }

    [Fact]
    public async Task Libgpiod_through_the_daemon_services_fails_naming_both_keys_or_the_chip()
    {
        // The real lookup: this machine either lacks libgpiod (the usual case: build.sh does not install it)
        // or has it, and then the package's driver fails on a chip that does not exist.
        var options = ConfigLoader.Parse("""{ "streams": [ { "name": "cam0", "source": { "type": "testPattern" } } ], "gpio": { "driver": "libgpiod", "statusLed": { "chip": "/dev/gpiochip99", "line": 1 } } }""").Options;
        var time = new ManualTimeProvider();
        using var service = new StatusLedService(options, new GpioLines(options), () => StatusLedMode.Lit, time, Microsoft.Extensions.Logging.Abstractions.NullLogger<StatusLedService>.Instance);

        var error = await Assert.ThrowsAsync<GpioException>(() => service.StartAsync(CancellationToken.None));

        var installed = Array.Exists(["libgpiod.so.3", "libgpiod.so.2", "libgpiod.so.1"], name => NativeLibrary.TryLoad(name, out _));
        Assert.StartsWith(
            installed ? "gpio.statusLed: GPIO chip /dev/gpiochip99 (libgpiod): " : "gpio.statusLed: gpio.driver: \"libgpiod\" is set but libgpiod cannot be loaded",
            error.Message,
            StringComparison.Ordinal);
        Assert.True(StartupFailure.IsUnavailable(error, out _));
        Assert.Equal(0, time.ActiveTimers);
    }

    [Theory]
    [InlineData("""{ "gpio": { "driver": "sysfs" } }""", "gpio.driver: must be one of chardev, libgpiod (got \"sysfs\")")]
    [InlineData("""{ "gpio": { "driver": null } }""", "gpio.driver: must be one of chardev, libgpiod (got null)")]
    [InlineData("""{ "gpio": { "driver": "libgpiod", "statusLed": { "chip": "/dev/gpio/by-name/leds", "line": 1 } } }""", "gpio.statusLed.chip: gpio.driver \"libgpiod\" opens chips by number, so the chip must be /dev/gpiochipN (got \"/dev/gpio/by-name/leds\")")]
    [InlineData("""{ "gpio": { "driver": "libgpiod", "phyReset": { "chip": "/dev/gpiochip0x", "line": 1 } } }""", "gpio.phyReset.chip: gpio.driver \"libgpiod\" opens chips by number")]
    [InlineData("""{ "gpio": { "statusLed": { "chip": "/dev/gpiochip1" } } }""", "gpio.statusLed.line: required")]
    [InlineData("""{ "gpio": { "statusLed": { "line": 70000 } } }""", "gpio.statusLed.line: must be between 0 and 65535 (got 70000)")]
    [InlineData("""{ "gpio": { "statusLed": { "line": 1, "blinkMs": 50 } } }""", "gpio.statusLed.blinkMs: must be between 100 and 5000 (got 50)")]
    [InlineData("""{ "gpio": { "statusLed": { "line": 1, "chip": "gpiochip0" } } }""", "gpio.statusLed.chip: must be a device path under /dev/")]
    [InlineData("""{ "gpio": { "statusLed": { "line": 1, "blink": 3 } } }""", "gpio.statusLed.blink: unknown key")]
    [InlineData("""{ "gpio": { "phyReset": { "line": 7 }, "statusLed": { "line": 7 } } }""", "gpio.statusLed.line: line 7 of /dev/gpiochip0 is already gpio.phyReset's")]
    public void Bad_gpio_config_exits_78_naming_the_key(string json, string expected)
    {
        var path = Path.Combine(Path.GetTempPath(), $"camstreamd-gpio-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        try
        {
            using var output = new StringWriter();
            using var error = new StringWriter();

            var code = ConfigCheck.Run(path, output, error);

            Assert.Equal(ExitCodes.Config, code);
            Assert.Equal(78, code);
            Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Libgpiod_with_numbered_chips_is_accepted()
    {
        var options = ConfigLoader.Parse("""{ "streams": [ { "name": "cam0", "source": { "type": "testPattern" } } ], "gpio": { "driver": "libgpiod", "phyReset": { "chip": "/dev/gpiochip2", "line": 3 }, "statusLed": { "chip": "/dev/gpiochip10", "line": 4, "activeLow": true, "blinkMs": 250 } } }""").Options;

        Assert.Equal(GpioDrivers.Libgpiod, options.Gpio.Driver);
        Assert.Equal(new StatusLedOptions("/dev/gpiochip10", 4, ActiveLow: true, BlinkMs: 250), options.Gpio.StatusLed);
        Assert.True(GpioDrivers.TryChipNumber("/dev/gpiochip10", out var number));
        Assert.Equal(10, number);
        Assert.False(GpioDrivers.TryChipNumber("/dev/gpiochip", out _));
        Assert.False(GpioDrivers.TryChipNumber("/dev/gpiochip-1", out _));
    }
}
