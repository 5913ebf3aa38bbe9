namespace CamStreamd.Hosting;

/// <summary>Process exit codes (BSD sysexits.h values, which systemd and shell scripts understand).</summary>
public static class ExitCodes
{
    /// <summary>Normal stop.</summary>
    public const int Ok = 0;

    /// <summary>EX_UNAVAILABLE: a required device or port is unavailable at start.</summary>
    public const int Unavailable = 69;

    /// <summary>EX_SOFTWARE: an unexpected internal error.</summary>
    public const int Software = 70;

    /// <summary>EX_CONFIG: the configuration is invalid; the message names the key.</summary>
    public const int Config = 78;
}
