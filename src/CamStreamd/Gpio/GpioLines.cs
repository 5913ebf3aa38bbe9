using System.Device.Gpio;
using System.Device.Gpio.Drivers;
using System.Runtime.InteropServices;
using CamStreamd.Configuration;
using CamStreamd.Interop.Gpio;

namespace CamStreamd.Gpio;

/// <summary>
/// Opens output lines through the driver <c>gpio.driver</c> names: <c>chardev</c> (default),
/// <see cref="CharacterDeviceGpioDriver"/>; <c>libgpiod</c>, the package's <see cref="LibGpiodV2Driver"/>
/// when libgpiod.so.3 loads, else its <see cref="LibGpiodDriver"/> (libgpiod 1.x, .so.2/.so.1).
/// </summary>
public sealed class GpioLines
{
    /// <summary>What the library lookups try, newest first (the package's DllImport names).</summary>
    internal static readonly string[] LibgpiodV2Names = ["libgpiod.so.3"];

    /// <summary>libgpiod 1.x: the package's V1 binding asks for .so.2 and falls back to .so.1.</summary>
    internal static readonly string[] LibgpiodV1Names = ["libgpiod.so.2", "libgpiod.so.1"];

    private readonly string _driver;
    private readonly IGpioDriver _kernel;
    private readonly Func<string, bool> _canLoad;

    /// <summary>Lines through the driver of <paramref name="options"/>' <c>gpio.driver</c>.</summary>
    public GpioLines(CamStreamdOptions options)
        : this(options?.Gpio.Driver ?? GpioDrivers.CharacterDevice, GpioKernelDriver.Instance, CanLoad)
    {
    }

    internal GpioLines(string driver, IGpioDriver kernel, Func<string, bool> canLoad)
    {
        _driver = driver;
        _kernel = kernel;
        _canLoad = canLoad;
    }

    /// <summary>
    /// Requests line <paramref name="offset"/> of <paramref name="chipPath"/> as an output at logical
    /// <paramref name="initialActive"/>, shown as <paramref name="consumer"/> in <c>gpioinfo</c> (chardev).
    /// </summary>
    /// <exception cref="GpioException">The chip is missing, the line is not on it or is busy, or libgpiod cannot be loaded.</exception>
    public GpioOutputLine OpenOutput(string chipPath, int offset, bool activeLow, bool initialActive, string consumer)
    {
        ArgumentNullException.ThrowIfNull(chipPath);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var name = $"GPIO line {offset} of {chipPath}";
        if (_driver != GpioDrivers.Libgpiod)
        {
            var driver = new CharacterDeviceGpioDriver(_kernel, chipPath, consumer);
            driver.SetActiveLow(offset, activeLow);
            return GpioOutputLine.Open(driver, offset, invert: false, initialActive, name);
        }

        // The package's libgpiod drivers take no active-low flag: the level is inverted here.
        return GpioOutputLine.Open(OpenLibgpiod(chipPath), offset, invert: activeLow, initialActive, name);
    }

    private GpioDriver OpenLibgpiod(string chipPath)
    {
        if (!GpioDrivers.TryChipNumber(chipPath, out var number))
        {
            // The validator refuses this (exit 78); kept for callers that skipped it.
            throw new GpioException($"gpio.driver: \"libgpiod\" opens chips by number: {chipPath} is not /dev/gpiochipN", GpioException.EINVAL);
        }

        try
        {
            if (LibgpiodV2Names.Any(_canLoad))
            {
                return new LibGpiodV2Driver(number);
            }

            if (LibgpiodV1Names.Any(_canLoad))
            {
                return new LibGpiodDriver(number);
            }
        }
        catch (Exception e) when (e is GpiodException or PlatformNotSupportedException || (e is IOException && e is not GpioException))
        {
            throw new GpioException($"GPIO chip {chipPath} (libgpiod): {e.Message}", e);
        }

        throw new GpioException(
            "gpio.driver: \"libgpiod\" is set but libgpiod cannot be loaded (none of libgpiod.so.3, libgpiod.so.2, libgpiod.so.1 is installed): "
            + "install libgpiod3 (Debian 13) or libgpiod2 (Debian 12), or remove gpio.driver to use the character device directly",
            GpioException.ENOENT);
    }

    private static bool CanLoad(string library)
    {
        if (!NativeLibrary.TryLoad(library, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }
}
