namespace CamStreamd.Configuration;

/// <summary>
/// The configuration is unusable (the daemon exits with 78, EX_CONFIG). Each entry of
/// <see cref="Errors"/> starts with the full key path, e.g.
/// <c>streams[0].encoder.bitrate: must be between 10000 and 100000000 (got -5)</c>, or with the
/// file path for errors about the file itself.
/// </summary>
public sealed class ConfigException : Exception
{
    /// <summary>Creates an exception with one error.</summary>
    public ConfigException()
        : this("invalid configuration")
    {
    }

    /// <summary>Creates an exception with one error.</summary>
    public ConfigException(string message)
        : this(message, innerException: null)
    {
    }

    /// <summary>Creates an exception with one error and its cause.</summary>
    public ConfigException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Creates an exception with every error found (at least one).</summary>
    public ConfigException(IReadOnlyList<string> errors)
        : base(string.Join(Environment.NewLine, errors ?? throw new ArgumentNullException(nameof(errors))))
    {
        if (errors.Count == 0)
        {
            throw new ArgumentException("at least one error is required", nameof(errors));
        }

        Errors = [.. errors];
    }

    /// <summary>Every error, one line each, in the order found.</summary>
    public IReadOnlyList<string> Errors { get; }
}
