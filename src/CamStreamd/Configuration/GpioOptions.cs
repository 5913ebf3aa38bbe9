namespace CamStreamd.Configuration;

/// <summary><c>gpio</c>: board lines driven by the daemon.</summary>
/// <param name="PhyReset"><c>gpio.phyReset</c>: Ethernet PHY reset line pulsed at start; null when absent.</param>
public sealed record GpioOptions(PhyResetOptions? PhyReset = null);
