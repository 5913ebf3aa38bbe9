namespace CamStreamd.Rtsp.Client;

/// <summary>An upstream RTSP server refused, broke the protocol, or went away; the message says which, for logs and the API.</summary>
public sealed class RtspClientException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RtspClientException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public RtspClientException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public RtspClientException()
    {
    }
}
