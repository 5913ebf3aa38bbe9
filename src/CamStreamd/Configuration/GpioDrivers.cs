using System.Globalization;

namespace CamStreamd.Configuration;

/// <summary>Values of <c>gpio.driver</c>.</summary>
public static class GpioDrivers
{
    /// <summary>Our own GPIO character-device code (uAPI v2) under System.Device.Gpio: no native library (the default).</summary>
    public const string CharacterDevice = "chardev";

    /// <summary>System.Device.Gpio's libgpiod drivers (libgpiod.so.3, else .so.2/.so.1), for boards that want libgpiod.</summary>
    public const string Libgpiod = "libgpiod";

    /// <summary>Every accepted value.</summary>
    public static readonly IReadOnlyList<string> All = [CharacterDevice, Libgpiod];

    private const string ChipPrefix = "/dev/gpiochip";

    /// <summary>
    /// The chip number of <paramref name="chipPath"/> when it is <c>/dev/gpiochipN</c>: libgpiod's
    /// drivers in the package open chips by number, not by path.
    /// </summary>
    public static bool TryChipNumber(string? chipPath, out int number)
    {
        number = -1;
        return chipPath is not null
            && chipPath.StartsWith(ChipPrefix, StringComparison.Ordinal)
            && chipPath.Length > ChipPrefix.Length
            && chipPath.AsSpan(ChipPrefix.Length).IndexOfAnyExceptInRange('0', '9') < 0
            && int.TryParse(chipPath.AsSpan(ChipPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
