using CamStreamd.Configuration;
using CamStreamd.Gpio;
using CamStreamd.Interop.Gpio;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Tests.Gpio;

/// <summary>The PHY reset pulse against a fake chip on a manual clock.</summary>
public sealed class PhyResetTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Pulse_asserts_for_assertMs_releases_and_waits_settleMs_then_frees_the_line()
    {
        var time = new ManualTimeProvider();
        var chip = new FakeGpioChip(time);
        var options = new PhyResetOptions(Chip: chip.Path, Line: 51, ActiveLow: true, AssertMs: 10, SettleMs: 100);

        var pulse = PhyReset.PulseAsync(Lines(chip), options, time, CancellationToken.None);
        await WaitForTimerAsync(time, pulse);
        time.Advance(TimeSpan.FromMilliseconds(9));
        Assert.Equal(3, chip.Calls.Count); // still asserted at 9 ms
        time.Advance(TimeSpan.FromMilliseconds(1));
        await WaitForTimerAsync(time, pulse);
        Assert.False(chip.Handed[1].IsClosed, "the line must stay held (driven de-asserted) while the PHY settles");
        time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.False(pulse.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await pulse.WaitAsync(Wait);

        // Active-low: asserted = physical 0 from the moment of the request, released = 1.
        Assert.Equal(["t=0 open /dev/gpiochip0", "t=0 chipinfo /dev/gpiochip0", "t=0 request level=0", "t=10 set level=1"], chip.Calls);
        Assert.All(chip.Handed, h => Assert.True(h.IsClosed));
        var request = chip.LastRequest;
        unsafe
        {
            Assert.Equal(51u, request.offsets[0]);
        }

        Assert.Equal(1u, request.num_lines);
        Assert.Equal(GpioConstants.GPIO_V2_LINE_FLAG_OUTPUT | GpioConstants.GPIO_V2_LINE_FLAG_ACTIVE_LOW, request.config.flags);
    }

    [Fact]
    public async Task Active_high_line_is_driven_high_while_asserted()
    {
        var time = new ManualTimeProvider();
        var chip = new FakeGpioChip(time);

        var pulse = PhyReset.PulseAsync(Lines(chip), new PhyResetOptions(Chip: chip.Path, Line: 3, ActiveLow: false, AssertMs: 5, SettleMs: 0), time, CancellationToken.None);
        await WaitForTimerAsync(time, pulse);
        time.Advance(TimeSpan.FromMilliseconds(5));
        await WaitForTimerAsync(time, pulse);
        time.Advance(TimeSpan.Zero);
        await pulse.WaitAsync(Wait);

        Assert.Equal(["t=0 request level=1", "t=5 set level=0"], chip.Calls.Where(c => c.Contains("level", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Missing_chip_names_the_key_and_the_device_and_maps_to_exit_69()
    {
        var time = new ManualTimeProvider();
        var options = new CamStreamdOptions { Gpio = new GpioOptions(new PhyResetOptions(Chip: "/dev/gpiochip7", Line: 51)) };
        var service = new PhyResetService(options, Lines(new FakeGpioChip(time)), time, NullLogger<PhyResetService>.Instance);

        var error = await Assert.ThrowsAsync<GpioException>(() => service.StartAsync(CancellationToken.None));

        Assert.Equal("gpio.phyReset: GPIO chip /dev/gpiochip7: No such file or directory (errno 2)", error.Message);
        Assert.True(CamStreamd.Hosting.StartupFailure.IsUnavailable(error, out _));
    }

    [Fact]
    public async Task Line_beyond_the_chip_is_refused_before_any_request()
    {
        var time = new ManualTimeProvider();
        var chip = new FakeGpioChip(time, lines: 32);
        var options = new CamStreamdOptions { Gpio = new GpioOptions(new PhyResetOptions(Chip: chip.Path, Line: 51)) };
        var service = new PhyResetService(options, Lines(chip), time, NullLogger<PhyResetService>.Instance);

        var error = await Assert.ThrowsAsync<GpioException>(() => service.StartAsync(CancellationToken.None));

        Assert.Equal("gpio.phyReset: GPIO line 51 of /dev/gpiochip0: no such line, the chip has 32 lines (0..31)", error.Message);
        Assert.DoesNotContain(chip.Calls, c => c.Contains("request", StringComparison.Ordinal));
        Assert.All(chip.Handed, h => Assert.True(h.IsClosed));
    }

    [Fact]
    public async Task Absent_option_touches_nothing()
    {
        var time = new ManualTimeProvider();
        var chip = new FakeGpioChip(time);
        var service = new PhyResetService(new CamStreamdOptions(), Lines(chip), time, NullLogger<PhyResetService>.Instance);

        await service.StartAsync(CancellationToken.None);

        Assert.Empty(chip.Calls);
    }

    /// <summary>The default driver (ours, under GpioController) over <paramref name="chip"/>.</summary>
    internal static GpioLines Lines(FakeGpioChip chip) => new(GpioDrivers.CharacterDevice, chip, _ => false);

    /// <summary>Waits (bounded) until the pulse has created its next timer or finished.</summary>
    private static async Task WaitForTimerAsync(ManualTimeProvider time, Task pulse)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (time.ActiveTimers == 0 && !pulse.IsCompleted)
        {
            Assert.True(DateTime.UtcNow < deadline, "the pulse did not start a timer");
            await Task.Delay(1);
        }
    }
}
