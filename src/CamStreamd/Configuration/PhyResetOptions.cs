namespace CamStreamd.Configuration;

/// <summary><c>gpio.phyReset</c>: a reset pulse on one GPIO line (character device, uAPI v2).</summary>
/// <param name="Chip"><c>chip</c>: GPIO chip device node.</param>
/// <param name="Line"><c>line</c>: line offset on the chip, 0..65535; required in the file (no safe default).</param>
/// <param name="ActiveLow"><c>activeLow</c>: the reset is asserted by driving the line low.</param>
/// <param name="AssertMs"><c>assertMs</c>: how long reset is held, 1..10000 ms.</param>
/// <param name="SettleMs"><c>settleMs</c>: wait after release, 0..60000 ms.</param>
public sealed record PhyResetOptions(string Chip = "/dev/gpiochip0", int Line = 0, bool ActiveLow = true, int AssertMs = 10, int SettleMs = 100);
