namespace CamStreamd.Interop.X264;

/// <summary>
/// libx264 refused something: an option (<see cref="Key"/> names it), the profile, or the
/// encoder did not open or failed to encode.
/// </summary>
public sealed class X264Exception : Exception
{
    /// <summary>Creates the exception for a failed call.</summary>
    public X264Exception(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception for an option x264 refused.</summary>
    public X264Exception(string message, string key)
        : base(message)
    {
        Key = key;
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public X264Exception(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The x264 option that was refused, or null when the failure is not about one option.</summary>
    public string? Key { get; }
}
