using System.Diagnostics;
using CamStreamd.Configuration;
using CamStreamd.Gpio;
using CamStreamd.Hosting;
using CamStreamd.Interop.Gpio;
using CamStreamd.Media;
using CamStreamd.Streams;
using CamStreamd.Tests.Gpio;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Tests.Hosting;

/// <summary>
/// <c>gpio.statusLed</c>: the policy from stream states, and the light on a fake chip stepped by a
/// manual clock (lit, blinking, off; one timer; writes only on a change).
/// </summary>
public sealed class StatusLedTests
{
    private static readonly long Now = 1_000 * Stopwatch.Frequency;

    [Theory]
    [InlineData(StreamState.Running, 1.0, true)]
    [InlineData(StreamState.Running, 9.9, true)]
    [InlineData(StreamState.Running, 10.5, false)] // stalled past StreamHealth.StallLimit
    [InlineData(StreamState.Running, -1, false)] // running but no frame yet
    [InlineData(StreamState.Starting, -1, false)]
    [InlineData(StreamState.NoSignal, 0.1, false)] // the placeholder flows, but it is NO SIGNAL
    [InlineData(StreamState.Failed, 3, false)]
    [InlineData(StreamState.Stopped, -1, true)] // stopped on purpose is not a fault
    public void A_stream_delivers_only_while_running_with_fresh_frames(StreamState state, double secondsSinceFrame, bool delivering)
    {
        var lastFrame = secondsSinceFrame < 0 ? 0 : Now - (long)(secondsSinceFrame * Stopwatch.Frequency);

        Assert.Equal(delivering, StatusLedPolicy.IsDelivering(state, lastFrame, Now));
    }

    [Fact]
    public void Lit_while_every_stream_delivers_blinking_while_any_does_not()
    {
        var fresh = Now - Stopwatch.Frequency;

        Assert.Equal(StatusLedMode.Lit, StatusLedPolicy.ModeOf(ReadOnlySpan<(StreamState, long)>.Empty, Now));
        Assert.Equal(StatusLedMode.Lit, StatusLedPolicy.ModeOf([(StreamState.Running, fresh), (StreamState.Stopped, 0L)], Now));
        Assert.Equal(StatusLedMode.Blinking, StatusLedPolicy.ModeOf([(StreamState.Running, fresh), (StreamState.NoSignal, fresh)], Now));
        Assert.Equal(StatusLedMode.Blinking, StatusLedPolicy.ModeOf([(StreamState.Failed, 0L), (StreamState.Running, fresh)], Now));
        Assert.Equal(StatusLedMode.Lit, StatusLedPolicy.ModeOf(Array.Empty<StreamInstance>(), Now));
    }

    [Fact]
    public async Task Blinks_every_blinkMs_while_a_stream_fails_then_stays_lit_without_writes_and_goes_dark_on_stop()
    {
        var time = new ManualTimeProvider();
        var chip = new FakeGpioChip(time);
        var mode = StatusLedMode.Blinking; // streams starting
        using var service = Service(time, chip, new StatusLedOptions(chip.Path, Line: 12, ActiveLow: false, BlinkMs: 500), () => mode);

        await service.StartAsync(CancellationToken.None);
        Assert.Equal(1, time.ActiveTimers);
        Step(time, 4); // 2 s of blinking at 1 Hz

        mode = StatusLedMode.Lit; // every stream delivers
        Step(time, 5);

        mode = StatusLedMode.Blinking; // a camera unplugged: NO SIGNAL
        Step(time, 2);
        Assert.Equal(StatusLedMode.Blinking, service.Mode);

        await service.StopAsync(CancellationToken.None);

        Assert.Equal(
            [
                "t=0 request level=1", // a blink starts on, in the request itself
                "t=500 set level=0", "t=1000 set level=1", "t=1500 set level=0", "t=2000 set level=1",
                // lit: already on at 2000, so five steps write nothing
                "t=5000 set level=0", "t=5500 set level=1",
                "t=5500 set level=0", // stop: dark
            ],
            chip.Calls.Where(c => c.Contains("level", StringComparison.Ordinal)));
        Assert.Equal(0, time.ActiveTimers);
        Assert.All(chip.Handed, h => Assert.True(h.IsClosed));
        Assert.Equal(GpioConstants.GPIO_V2_LINE_FLAG_OUTPUT, chip.LastRequest.config.flags);
    }

    [Fact]
    public async Task Active_low_light_is_lit_by_driving_the_line_low()
    {
        var time = new ManualTimeProvider();
        var chip = new FakeGpioChip(time);
        using var service = Service(time, chip, new StatusLedOptions(chip.Path, Line: 3, ActiveLow: true, BlinkMs: 100), () => StatusLedMode.Lit);

        await service.StartAsync(CancellationToken.None);
        Step(time, 3, 100);
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(["t=0 request level=0", "t=300 set level=1"], chip.Calls.Where(c => c.Contains("level", StringComparison.Ordinal)));
        Assert.Equal(GpioConstants.GPIO_V2_LINE_FLAG_OUTPUT | GpioConstants.GPIO_V2_LINE_FLAG_ACTIVE_LOW, chip.LastRequest.config.flags);
    }

    [Fact]
    public async Task A_failing_write_is_survived_and_the_light_recovers()
    {
        var time = new ManualTimeProvider();
        var chip = new FakeGpioChip(time);
        using var service = Service(time, chip, new StatusLedOptions(chip.Path, Line: 3, BlinkMs: 500), () => StatusLedMode.Blinking);
        await service.StartAsync(CancellationToken.None);

        chip.FailSetErrno = 5; // EIO
        Step(time, 2);
        chip.FailSetErrno = 0;
        Step(time, 1);

        Assert.Equal("t=1500 set level=0", chip.Calls[^1]);
        Assert.Equal(1, time.ActiveTimers);
        await service.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Missing_chip_ends_the_start_naming_the_key_and_absent_option_touches_nothing()
    {
        var time = new ManualTimeProvider();
        var chip = new FakeGpioChip(time);
        using var missing = Service(time, chip, new StatusLedOptions("/dev/gpiochip4", Line: 3), () => StatusLedMode.Lit);
        using var absent = Service(time, chip, null, () => throw new InvalidOperationException("not asked"));

        var error = await Assert.ThrowsAsync<GpioException>(() => missing.StartAsync(CancellationToken.None));
        await absent.StartAsync(CancellationToken.None);

        Assert.Equal("gpio.statusLed: GPIO chip /dev/gpiochip4: No such file or directory (errno 2)", error.Message);
        Assert.True(StartupFailure.IsUnavailable(error, out _));
        Assert.Equal(0, time.ActiveTimers);
        Assert.Empty(chip.Calls);
    }

    private static StatusLedService Service(ManualTimeProvider time, FakeGpioChip chip, StatusLedOptions? led, Func<StatusLedMode> mode) =>
        new(new CamStreamdOptions { Gpio = new GpioOptions(StatusLed: led) }, PhyResetTests.Lines(chip), mode, time, NullLogger<StatusLedService>.Instance);

    /// <summary>Advances the clock one blink period at a time; the manual clock runs due timers inline.</summary>
    private static void Step(ManualTimeProvider time, int periods, int periodMs = 500)
    {
        for (var i = 0; i < periods; i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(periodMs));
        }
    }
}
