using System.Device.Gpio;
using CamStreamd.Interop.Gpio;

namespace CamStreamd.Gpio;

/// <summary>
/// System.Device.Gpio's <see cref="GpioDriver"/> over our own GPIO character-device code (uAPI v2,
/// <c>Interop/Gpio</c>): no native library beyond libc. One chip per driver; pin numbers are line
/// offsets. An output is requested in one GPIO_V2_GET_LINE_IOCTL that carries the direction, the
/// active-low flag (<see cref="SetActiveLow"/>) and the initial level, so the line never shows a
/// level it was not asked for between the request and the first write (the package's libgpiod v2
/// driver requests the direction first and writes the level after it).
/// Outputs only: camstreamd drives lines (PHY reset, status LED) and reads none.
/// </summary>
public sealed class CharacterDeviceGpioDriver : GpioDriver
{
    private readonly IGpioDriver _kernel;
    private readonly string _chipPath;
    private readonly string _consumer;
    private readonly GpioFileDescriptor _chip;
    private readonly int _lines;
    private readonly Lock _gate = new();
    private readonly HashSet<int> _open = [];
    private readonly HashSet<int> _activeLow = [];
    private readonly Dictionary<int, (GpioFileDescriptor Request, PinValue Value)> _outputs = [];

    /// <summary>Opens <paramref name="chipPath"/>; its lines show <paramref name="consumer"/> in <c>gpioinfo</c> while held.</summary>
    /// <exception cref="GpioException">The chip is missing or cannot be opened; the message names it.</exception>
    public CharacterDeviceGpioDriver(string chipPath, string consumer)
        : this(GpioKernelDriver.Instance, chipPath, consumer)
    {
    }

    internal CharacterDeviceGpioDriver(IGpioDriver kernel, string chipPath, string consumer)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        ArgumentNullException.ThrowIfNull(chipPath);
        ArgumentNullException.ThrowIfNull(consumer);
        _kernel = kernel;
        _chipPath = chipPath;
        _consumer = consumer;
        _chip = kernel.OpenChip(chipPath);
        try
        {
            _lines = checked((int)kernel.GetChipInfo(_chip, chipPath).lines);
        }
        catch
        {
            _chip.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    protected override int PinCount => _lines;

    /// <summary>
    /// Marks line <paramref name="pinNumber"/> active-low before its mode is set: the kernel inverts
    /// it (GPIO_V2_LINE_FLAG_ACTIVE_LOW), so <see cref="PinValue.High"/> means asserted = driven low.
    /// </summary>
    public void SetActiveLow(int pinNumber, bool activeLow)
    {
        lock (_gate)
        {
            if (activeLow)
            {
                _activeLow.Add(pinNumber);
            }
            else
            {
                _activeLow.Remove(pinNumber);
            }
        }
    }

    /// <inheritdoc />
    /// <remarks>Checks the offset against the chip; requests nothing (the line keeps its state until its mode is set).</remarks>
    protected override void OpenPin(int pinNumber)
    {
        if ((uint)pinNumber >= (uint)_lines)
        {
            throw new GpioException($"{Name(pinNumber)}: no such line, the chip has {_lines} lines (0..{_lines - 1})", GpioException.EINVAL);
        }

        lock (_gate)
        {
            _open.Add(pinNumber);
        }
    }

    /// <inheritdoc />
    /// <remarks>Releases the line request (the kernel keeps the last level driven until another consumer takes the line).</remarks>
    protected override void ClosePin(int pinNumber)
    {
        lock (_gate)
        {
            if (_outputs.Remove(pinNumber, out var output))
            {
                output.Request.Dispose();
            }

            _open.Remove(pinNumber);
        }
    }

    /// <inheritdoc />
    protected override void SetPinMode(int pinNumber, PinMode mode) => SetPinMode(pinNumber, mode, PinValue.Low);

    /// <inheritdoc />
    /// <remarks>One GPIO_V2_GET_LINE_IOCTL: output, active-low as set, and the initial level as an OUTPUT_VALUES attribute.</remarks>
    protected override void SetPinMode(int pinNumber, PinMode mode, PinValue initialValue)
    {
        if (mode != PinMode.Output)
        {
            throw new NotSupportedException($"{Name(pinNumber)}: mode {mode} is not supported by the character-device driver (outputs only)");
        }

        lock (_gate)
        {
            if (!_open.Contains(pinNumber))
            {
                throw new InvalidOperationException($"{Name(pinNumber)} is not open");
            }

            if (_outputs.ContainsKey(pinNumber))
            {
                WriteLocked(pinNumber, initialValue);
                return;
            }

            var request = GpioLineRequests.Output((uint)pinNumber, _activeLow.Contains(pinNumber), initialValue == PinValue.High, _consumer);
            var line = _kernel.GetLine(_chip, ref request, $"{Name(pinNumber)}: GPIO_V2_GET_LINE_IOCTL");
            _outputs[pinNumber] = (line, initialValue);
        }
    }

    /// <inheritdoc />
    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_gate)
        {
            // A line we have not requested is not ours to describe; the controller then keeps a
            // written value as the one to request it with.
            return _outputs.ContainsKey(pinNumber) ? PinMode.Output : PinMode.Input;
        }
    }

    /// <inheritdoc />
    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => mode == PinMode.Output;

    /// <inheritdoc />
    /// <remarks>An output reads back the level last written to it (the line is held by us alone).</remarks>
    protected override PinValue Read(int pinNumber)
    {
        lock (_gate)
        {
            return _outputs.TryGetValue(pinNumber, out var output)
                ? output.Value
                : throw new NotSupportedException($"{Name(pinNumber)}: not an output; the character-device driver reads no inputs");
        }
    }

    /// <inheritdoc />
    /// <exception cref="GpioException">The kernel refused.</exception>
    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_gate)
        {
            WriteLocked(pinNumber, value);
        }
    }

    /// <inheritdoc />
    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken) =>
        throw new NotSupportedException("edge events are not supported by the character-device driver (outputs only)");

    /// <inheritdoc />
    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback) =>
        throw new NotSupportedException("edge events are not supported by the character-device driver (outputs only)");

    /// <inheritdoc />
    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback) =>
        throw new NotSupportedException("edge events are not supported by the character-device driver (outputs only)");

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                foreach (var output in _outputs.Values)
                {
                    output.Request.Dispose();
                }

                _outputs.Clear();
                _open.Clear();
                _chip.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    private void WriteLocked(int pinNumber, PinValue value)
    {
        if (!_outputs.TryGetValue(pinNumber, out var output))
        {
            throw new InvalidOperationException($"{Name(pinNumber)} is not an output");
        }

        _kernel.SetValues(output.Request, new gpio_v2_line_values { bits = value == PinValue.High ? 1UL : 0UL, mask = 1 }, $"{Name(pinNumber)}: GPIO_V2_LINE_SET_VALUES_IOCTL");
        _outputs[pinNumber] = (output.Request, value);
    }

    private string Name(int pinNumber) => $"GPIO line {pinNumber} of {_chipPath}";
}
