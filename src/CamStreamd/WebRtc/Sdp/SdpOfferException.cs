namespace CamStreamd.WebRtc.Sdp;

/// <summary>An offer we cannot answer; the message says why (it becomes the 400's detail).</summary>
public sealed class SdpOfferException : Exception
{
    /// <summary>Creates the exception with the reason.</summary>
    public SdpOfferException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public SdpOfferException()
    {
    }

    /// <summary>Creates the exception with the reason and cause.</summary>
    public SdpOfferException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
