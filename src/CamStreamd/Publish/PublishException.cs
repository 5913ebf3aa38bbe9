namespace CamStreamd.Publish;

/// <summary>A publish session could not start or broke; the target retries after its backoff.</summary>
public sealed class PublishException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PublishException()
    {
    }

    /// <summary>Creates the exception with its message.</summary>
    public PublishException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public PublishException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
