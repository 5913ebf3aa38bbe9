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

    /// <summary>
    /// Sends <paramref name="lengths"/>.Length datagrams at once without blocking, datagram i being
    /// <paramref name="slots"/>[(i * <paramref name="stride"/>)..][..lengths[i]]. Returns how many
    /// went, in order; fewer than all when the socket would block or the peer is gone. The plane
    /// sends them in one <c>sendmmsg</c>; this default sends them one by one.
    /// </summary>
    int TrySendMany(ReadOnlySpan<byte> slots, int stride, ReadOnlySpan<int> lengths)
    {
        for (var i = 0; i < lengths.Length; i++)
        {
            if (!TrySend(slots.Slice(i * stride, lengths[i])))
            {
                return i;
            }
        }

        return lengths.Length;
    }
}
