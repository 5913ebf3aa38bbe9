namespace CamStreamd.Interop.FFmpeg;

/// <summary>
/// FFmpeg cannot be used here: a library is missing, its major version is not one camstreamd
/// supports, or an encoder is not built in. The message says what to install.
/// </summary>
public sealed class FFmpegUnavailableException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public FFmpegUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public FFmpegUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
