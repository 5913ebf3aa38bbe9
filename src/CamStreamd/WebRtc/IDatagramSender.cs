namespace CamStreamd.WebRtc;

/// <summary>
/// Sends datagrams to one WebRTC peer (the address its ICE checks came from) on the shared UDP
/// port. Implemented by the plane (the ICE/STUN side), used by the DTLS handshake and the media feed.
/// </summary>
public interface IDatagramSender
{
    /// <summary>
    /// Sends <paramref name="datagram"/> at once without blocking. Returns false when the socket
    /// would block (EAGAIN) or the peer is gone; the caller counts and drops, never retries in a loop.
    /// </summary>
    bool TrySend(ReadOnlySpan<byte> datagram);
}
