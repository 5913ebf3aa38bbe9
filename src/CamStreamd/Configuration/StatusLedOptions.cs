namespace CamStreamd.Configuration;

/// <summary><c>gpio.statusLed</c>: the status light, one GPIO output line.</summary>
/// <param name="Chip"><c>chip</c>: GPIO chip device node.</param>
/// <param name="Line"><c>line</c>: line offset on the chip, 0..65535; required in the file (no safe default).</param>
/// <param name="ActiveLow"><c>activeLow</c>: the LED is lit by driving the line low (LED between the pin and the supply).</param>
/// <param name="BlinkMs"><c>blinkMs</c>: time on, then off, while blinking, 100..5000 ms (500: 1 Hz).</param>
public sealed record StatusLedOptions(string Chip = "/dev/gpiochip0", int Line = 0, bool ActiveLow = false, int BlinkMs = 500);
