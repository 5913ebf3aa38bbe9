using CamStreamd.Configuration;
using CamStreamd.Interop.Gpio;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Gpio;

/// <summary>
/// Pulses the PHY reset (<c>gpio.phyReset</c>) as the first hosted service, before any listener
/// binds. Absent option: nothing. Missing chip or line: a <see cref="GpioException"/> naming it
/// ends the start (exit 69).
/// </summary>
public sealed partial class PhyResetService : IHostedService
{
    private readonly PhyResetOptions? _options;
    private readonly GpioLines _lines;
    private readonly TimeProvider _time;
    private readonly ILogger<PhyResetService> _logger;

    /// <summary>Creates the service for <paramref name="options"/>' <c>gpio.phyReset</c>.</summary>
    public PhyResetService(CamStreamdOptions options, GpioLines lines, TimeProvider time, ILogger<PhyResetService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Gpio.PhyReset;
        _lines = lines;
        _time = time;
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options is not { } reset)
        {
            return;
        }

        LogPulsing(reset.Chip, reset.Line, reset.ActiveLow ? "low" : "high", reset.AssertMs, reset.SettleMs);
        try
        {
            await PhyReset.PulseAsync(_lines, reset, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (GpioException e)
        {
            throw new GpioException($"gpio.phyReset: {e.Message}", e.Errno);
        }

        LogDone(reset.Chip, reset.Line);
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 6000, Level = LogLevel.Information, Message = "PHY reset: pulsing line {Line} of {Chip} (active {Polarity}) for {AssertMs} ms, then {SettleMs} ms to settle")]
    private partial void LogPulsing(string chip, int line, string polarity, int assertMs, int settleMs);

    [LoggerMessage(EventId = 6001, Level = LogLevel.Information, Message = "PHY reset: done (line {Line} of {Chip} released)")]
    private partial void LogDone(string chip, int line);
}
