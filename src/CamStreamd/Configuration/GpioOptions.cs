namespace CamStreamd.Configuration;

/// <summary><c>gpio</c>: board lines driven by the daemon.</summary>
public sealed record GpioOptions
{
    /// <summary><c>gpio.phyReset</c>: Ethernet PHY reset line pulsed at start; null when absent.</summary>
    public PhyResetOptions? PhyReset { get; init; }
}
