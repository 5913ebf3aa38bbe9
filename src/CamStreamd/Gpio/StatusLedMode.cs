namespace CamStreamd.Gpio;

/// <summary>What the status light shows.</summary>
public enum StatusLedMode
{
    /// <summary>Dark: the daemon is stopping (or not running).</summary>
    Off,

    /// <summary>Steady on: every started stream delivers pictures.</summary>
    Lit,

    /// <summary>On and off every <c>blinkMs</c>: a stream is starting, shows NO SIGNAL, or is failing and retrying.</summary>
    Blinking,
}
