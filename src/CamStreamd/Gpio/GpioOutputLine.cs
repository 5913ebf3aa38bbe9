using System.Device.Gpio;
using CamStreamd.Interop.Gpio;

namespace CamStreamd.Gpio;

/// <summary>
/// One GPIO line held as an output through System.Device.Gpio's <see cref="GpioController"/>
/// (over <see cref="CharacterDeviceGpioDriver"/>, or libgpiod when <c>gpio.driver</c> says so);
/// values are logical (active = asserted); released, with its chip, on dispose.
/// </summary>
public sealed class GpioOutputLine : IDisposable
{
    private readonly GpioController _controller;
    private readonly int _offset;
    private readonly bool _invert;
    private readonly string _name;

    internal GpioOutputLine(GpioController controller, int offset, bool invert, string name)
    {
        _controller = controller;
        _offset = offset;
        _invert = invert;
        _name = name;
    }

    /// <summary>The last logical value set (the initial one until the first <see cref="Set"/>).</summary>
    public bool IsActive { get; private set; }

    /// <summary>
    /// Requests line <paramref name="offset"/> of the chip under <paramref name="driver"/> as an output at
    /// logical <paramref name="initialActive"/>. <paramref name="invert"/>: the driver has no
    /// active-low flag, so logical values are inverted here (libgpiod through the package).
    /// </summary>
    internal static GpioOutputLine Open(GpioDriver driver, int offset, bool invert, bool initialActive, string name)
    {
        var controller = new GpioController(driver);
        try
        {
            if (offset >= controller.PinCount)
            {
                throw new GpioException($"{name}: no such line, the chip has {controller.PinCount} lines (0..{controller.PinCount - 1})", GpioException.EINVAL);
            }

            controller.OpenPin(offset, PinMode.Output, Level(initialActive, invert));
            return new GpioOutputLine(controller, offset, invert, name) { IsActive = initialActive };
        }
        catch (Exception e) when (e is not GpioException && e is IOException or System.Device.Gpio.Drivers.GpiodException)
        {
            controller.Dispose();
            throw new GpioException($"{name}: {e.Message}", e);
        }
        catch
        {
            controller.Dispose();
            throw;
        }
    }

    /// <summary>Sets the line's logical value (active = asserted; active-low lines are inverted by the kernel).</summary>
    /// <exception cref="GpioException">The kernel or libgpiod refused; the message names the line.</exception>
    public void Set(bool active)
    {
        try
        {
            _controller.Write(_offset, Level(active, _invert));
        }
        catch (Exception e) when (e is not GpioException && e is IOException or InvalidOperationException or System.Device.Gpio.Drivers.GpiodException)
        {
            throw new GpioException($"{_name}: {e.Message}", e);
        }

        IsActive = active;
    }

    /// <summary>Releases the line and closes the chip.</summary>
    public void Dispose() => _controller.Dispose();

    private static PinValue Level(bool active, bool invert) => active ^ invert ? PinValue.High : PinValue.Low;
}
