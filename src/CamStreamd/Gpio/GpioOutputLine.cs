using CamStreamd.Interop.Gpio;

namespace CamStreamd.Gpio;

/// <summary>One GPIO line held as an output through the character device (uAPI v2); released on dispose.</summary>
public sealed class GpioOutputLine : IDisposable
{
    private readonly IGpioDriver _driver;
    private readonly GpioFileDescriptor _line;
    private readonly string _name;

    private GpioOutputLine(IGpioDriver driver, GpioFileDescriptor line, string name)
    {
        _driver = driver;
        _line = line;
        _name = name;
    }

    /// <summary>Requests line <paramref name="offset"/> of <paramref name="chipPath"/> as an output at logical <paramref name="initialActive"/>.</summary>
    /// <exception cref="GpioException">The chip is missing, the line is not on it, or it is busy.</exception>
    public static GpioOutputLine Request(string chipPath, int offset, bool activeLow, bool initialActive, string consumer = "camstreamd") =>
        Request(GpioKernelDriver.Instance, chipPath, offset, activeLow, initialActive, consumer);

    /// <summary>Sets the line's logical value (active = asserted; the kernel inverts active-low lines).</summary>
    /// <exception cref="GpioException">The kernel refused.</exception>
    public void Set(bool active) =>
        _driver.SetValues(_line, new gpio_v2_line_values { bits = active ? 1UL : 0UL, mask = 1 }, $"{_name}: GPIO_V2_LINE_SET_VALUES_IOCTL");

    /// <summary>Releases the line (closes the request descriptor).</summary>
    public void Dispose() => _line.Dispose();

    internal static GpioOutputLine Request(IGpioDriver driver, string chipPath, int offset, bool activeLow, bool initialActive, string consumer)
    {
        ArgumentNullException.ThrowIfNull(driver);
        ArgumentNullException.ThrowIfNull(chipPath);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var name = $"GPIO line {offset} of {chipPath}";
        using var chip = driver.OpenChip(chipPath);
        var info = driver.GetChipInfo(chip, chipPath);
        if ((uint)offset >= info.lines)
        {
            throw new GpioException($"{name}: no such line, the chip has {info.lines} lines (0..{(long)info.lines - 1})", GpioException.EINVAL);
        }

        var request = GpioLineRequests.Output((uint)offset, activeLow, initialActive, consumer);
        var line = driver.GetLine(chip, ref request, $"{name}: GPIO_V2_GET_LINE_IOCTL");
        return new GpioOutputLine(driver, line, name);
    }
}
