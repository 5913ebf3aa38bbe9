namespace CamStreamd.Configuration;

/// <summary><c>gpio.phyReset</c>: a reset pulse on one GPIO line (character device, uAPI v2).</summary>
public sealed record PhyResetOptions
{
    /// <summary><c>chip</c>: GPIO chip device node.</summary>
    public string Chip { get; init; } = "/dev/gpiochip0";

    /// <summary><c>line</c>: required line offset on the chip, 0..65535.</summary>
    public int Line { get; init; }

    /// <summary><c>activeLow</c>: the reset is asserted by driving the line low.</summary>
    public bool ActiveLow { get; init; } = true;

    /// <summary><c>assertMs</c>: how long reset is held, 1..10000 ms.</summary>
    public int AssertMs { get; init; } = 10;

    /// <summary><c>settleMs</c>: wait after release, 0..60000 ms.</summary>
    public int SettleMs { get; init; } = 100;
}
