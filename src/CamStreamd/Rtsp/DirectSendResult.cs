namespace CamStreamd.Rtsp;

/// <summary>How a send that must not wait (<see cref="RtpTransport.TrySendNow"/>) went.</summary>
internal enum DirectSendResult
{
    /// <summary>Everything went.</summary>
    Complete,

    /// <summary>The socket took part of it (or none): the rest goes out with the transport's waiting send.</summary>
    Partial,

    /// <summary>The peer is gone; nothing more is to be sent on this transport.</summary>
    Gone,
}
