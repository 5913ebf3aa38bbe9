namespace CamStreamd.Capture;

/// <summary>The camera stopped delivering: the device is gone (ENODEV), poll reported an error, or no frame came within the frame timeout.</summary>
public sealed class CameraLostException : IOException
{
    /// <summary>Creates the exception.</summary>
    public CameraLostException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
