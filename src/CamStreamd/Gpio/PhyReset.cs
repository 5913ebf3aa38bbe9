using CamStreamd.Configuration;
using CamStreamd.Interop.Gpio;

namespace CamStreamd.Gpio;

/// <summary>
/// The Ethernet PHY reset pulse (<c>gpio.phyReset</c>): request the line already asserted, hold
/// it <c>assertMs</c>, de-assert, wait <c>settleMs</c> for the PHY to come out of reset, release.
/// The line stays driven de-asserted until the settle time is over.
/// </summary>
public static class PhyReset
{
    /// <summary>The consumer name shown by <c>gpioinfo</c>.</summary>
    public const string Consumer = "camstreamd-phy-reset";

    /// <summary>Pulses the reset line of <paramref name="options"/>.</summary>
    /// <exception cref="GpioException">The chip or line is missing or busy; the message names them.</exception>
    public static async Task PulseAsync(GpioLines lines, PhyResetOptions options, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        using var line = lines.OpenOutput(options.Chip, options.Line, options.ActiveLow, initialActive: true, Consumer);
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(options.AssertMs), time, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Never leave the PHY held in reset, even when the start is cancelled.
            line.Set(false);
        }

        await Task.Delay(TimeSpan.FromMilliseconds(options.SettleMs), time, cancellationToken).ConfigureAwait(false);
    }
}
