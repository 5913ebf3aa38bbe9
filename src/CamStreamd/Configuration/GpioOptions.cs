namespace CamStreamd.Configuration;

/// <summary><c>gpio</c>: board lines driven by the daemon.</summary>
/// <param name="PhyReset"><c>gpio.phyReset</c>: Ethernet PHY reset line pulsed at start; null when absent.</param>
/// <param name="Driver"><c>gpio.driver</c>: <c>chardev</c> (our uAPI v2 code, no native library) or <c>libgpiod</c> (the package's libgpiod driver; chips must be <c>/dev/gpiochipN</c>).</param>
/// <param name="StatusLed"><c>gpio.statusLed</c>: a line lit while every stream delivers and blinking while one does not; null when absent.</param>
public sealed record GpioOptions(PhyResetOptions? PhyReset = null, string Driver = GpioDrivers.CharacterDevice, StatusLedOptions? StatusLed = null);
