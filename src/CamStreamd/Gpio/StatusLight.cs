namespace CamStreamd.Gpio;

/// <summary>
/// The status light's line (<c>gpio.statusLed</c>), stepped once per blink period: it writes the
/// line only when its level changes, so a steady light costs no system call.
/// </summary>
public sealed class StatusLight : IDisposable
{
    /// <summary>The consumer name shown by <c>gpioinfo</c>.</summary>
    public const string Consumer = "camstreamd-status-led";

    private readonly GpioOutputLine _line;

    /// <summary>Holds <paramref name="line"/>, already requested at the first level to show.</summary>
    public StatusLight(GpioOutputLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        _line = line;
    }

    /// <summary>Whether the light is on now.</summary>
    public bool IsOn => _line.IsActive;

    /// <summary>The level a light starting in <paramref name="mode"/> is requested at (a blink starts on).</summary>
    public static bool InitialLevel(StatusLedMode mode) => mode != StatusLedMode.Off;

    /// <summary>One step in <paramref name="mode"/>: lit and off set their level if it differs; blinking flips it.</summary>
    /// <exception cref="Interop.Gpio.GpioException">The line could not be set.</exception>
    public void Step(StatusLedMode mode)
    {
        var on = mode switch
        {
            StatusLedMode.Lit => true,
            StatusLedMode.Blinking => !_line.IsActive,
            _ => false,
        };
        if (on != _line.IsActive)
        {
            _line.Set(on);
        }
    }

    /// <summary>Releases the line.</summary>
    public void Dispose() => _line.Dispose();
}
