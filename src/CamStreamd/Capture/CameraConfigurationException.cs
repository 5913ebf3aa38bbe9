namespace CamStreamd.Capture;

/// <summary>The camera cannot deliver what the configuration asks (not a capture node, format not offered, no buffers).</summary>
public sealed class CameraConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CameraConfigurationException(string message)
        : base(message)
    {
    }
}
