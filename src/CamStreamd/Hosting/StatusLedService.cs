using System.Diagnostics;
using CamStreamd.Configuration;
using CamStreamd.Gpio;
using CamStreamd.Interop.Gpio;
using CamStreamd.Streams;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Hosting;

/// <summary>
/// Drives <c>gpio.statusLed</c> from the streams' states (<see cref="StatusLedPolicy"/>): one timer
/// of <c>blinkMs</c> looks at the streams and steps the light (no thread, no spin; a steady light
/// writes nothing). Started after the streams, stopped before them: the light goes dark as soon as
/// the daemon begins to stop. A line that cannot be had at start ends the start (exit 69, naming
/// the key); a write that fails later is logged once and the daemon serves on.
/// </summary>
public sealed partial class StatusLedService : IHostedService, IDisposable
{
    private readonly StatusLedOptions? _options;
    private readonly GpioLines _lines;
    private readonly Func<StatusLedMode> _mode;
    private readonly TimeProvider _time;
    private readonly ILogger<StatusLedService> _logger;
    private readonly Lock _gate = new();
    private StatusLight? _light;
    private ITimer? _timer;
    private bool _writeFailed;

    /// <summary>Creates the service for <paramref name="options"/>' <c>gpio.statusLed</c> over <paramref name="supervisor"/>'s streams.</summary>
    public StatusLedService(CamStreamdOptions options, GpioLines lines, StreamSupervisor supervisor, TimeProvider time, ILogger<StatusLedService> logger)
        : this(options, lines, () => StatusLedPolicy.ModeOf(supervisor.Streams, Stopwatch.GetTimestamp()), time, logger)
    {
        ArgumentNullException.ThrowIfNull(supervisor);
    }

    internal StatusLedService(CamStreamdOptions options, GpioLines lines, Func<StatusLedMode> mode, TimeProvider time, ILogger<StatusLedService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Gpio.StatusLed;
        _lines = lines;
        _mode = mode;
        _time = time;
        _logger = logger;
    }

    /// <summary>What the light was last set to show (Off before start and after stop).</summary>
    public StatusLedMode Mode { get; private set; }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options is not { } led)
        {
            return Task.CompletedTask;
        }

        var mode = _mode();
        try
        {
            _light = new StatusLight(_lines.OpenOutput(led.Chip, led.Line, led.ActiveLow, StatusLight.InitialLevel(mode), StatusLight.Consumer));
        }
        catch (GpioException e)
        {
            throw new GpioException($"gpio.statusLed: {e.Message}", e.Errno);
        }

        Mode = mode;
        LogStarted(led.Line, led.Chip, led.ActiveLow ? "low" : "high", led.BlinkMs);
        var period = TimeSpan.FromMilliseconds(led.BlinkMs);
        _timer = _time.CreateTimer(_ => Tick(), null, period, period);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <summary>Stops the timer, turns the light off and releases its line.</summary>
    public void Dispose()
    {
        ITimer? timer;
        lock (_gate)
        {
            timer = _timer;
            _timer = null;
            if (_light is { } light)
            {
                Step(light, StatusLedMode.Off);
                light.Dispose();
                _light = null;
            }
        }

        timer?.Dispose();
    }

    private void Tick()
    {
        var mode = _mode();
        lock (_gate)
        {
            if (_light is { } light)
            {
                Step(light, mode);
            }
        }
    }

    private void Step(StatusLight light, StatusLedMode mode)
    {
        try
        {
            light.Step(mode);
            Mode = mode;
            _writeFailed = false;
        }
        catch (GpioException e)
        {
            if (!_writeFailed)
            {
                _writeFailed = true;
                LogWriteFailed(e.Message);
            }
        }
    }

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Status LED: line {Line} of {Chip} (active {Polarity}), blinking {BlinkMs} ms on/off while a stream does not deliver")]
    private partial void LogStarted(int line, string chip, string polarity, int blinkMs);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "gpio.statusLed: {Reason}; the light may show a stale state (logged once until a write succeeds)")]
    private partial void LogWriteFailed(string reason);
}
