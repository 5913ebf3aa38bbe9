namespace CamStreamd.Interop.X264;

/// <summary>libx264 cannot be used here: the library is missing or is not build 164. The message says what to install.</summary>
public sealed class X264UnavailableException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public X264UnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public X264UnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
