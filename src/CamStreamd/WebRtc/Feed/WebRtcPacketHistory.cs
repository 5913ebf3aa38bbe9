namespace CamStreamd.WebRtc.Feed;

/// <summary>
/// The last <see cref="Capacity"/> RTP packets of one stream's feed, by stream sequence number:
/// what a NACK is answered from (RFC 4585 §6.2.1) and what a session joining a young GOP is
/// started from. Written once per packet by the feed (one copy per stream, not per session),
/// read by any session; bounded, allocated once.
/// </summary>
internal sealed class WebRtcPacketHistory
{
    /// <summary>Packets kept: about a second of 4 Mbit/s video at 1200-byte payloads.</summary>
    public const int Capacity = 512;

    private readonly byte[] _bytes;
    private readonly int[] _lengths = new int[Capacity];
    private readonly int[] _sequences = new int[Capacity];
    private readonly int _slotLength;
    private readonly Lock _gate = new();

    public WebRtcPacketHistory(int maxPacketLength)
    {
        _slotLength = maxPacketLength;
        _bytes = new byte[Capacity * maxPacketLength];
        Array.Fill(_sequences, -1);
    }

    /// <summary>Keeps a copy of <paramref name="packet"/> under <paramref name="sequence"/>, replacing the oldest.</summary>
    public void Add(ushort sequence, ReadOnlySpan<byte> packet)
    {
        var slot = sequence % Capacity;
        lock (_gate)
        {
            packet.CopyTo(_bytes.AsSpan(slot * _slotLength, _slotLength));
            _lengths[slot] = packet.Length;
            _sequences[slot] = sequence;
        }
    }

    /// <summary>Copies the packet of <paramref name="sequence"/> into <paramref name="destination"/>; 0 when it is gone.</summary>
    public int CopyTo(ushort sequence, Span<byte> destination)
    {
        var slot = sequence % Capacity;
        lock (_gate)
        {
            if (_sequences[slot] != sequence)
            {
                return 0;
            }

            var length = _lengths[slot];
            _bytes.AsSpan(slot * _slotLength, length).CopyTo(destination);
            return length;
        }
    }

    /// <summary>True when every packet from <paramref name="first"/> to <paramref name="last"/> (inclusive, mod 2^16) is still kept.</summary>
    public bool HoldsRange(ushort first, ushort last)
    {
        var count = (ushort)(last - first) + 1;
        if (count > Capacity)
        {
            return false;
        }

        lock (_gate)
        {
            for (var i = 0; i < count; i++)
            {
                var sequence = (ushort)(first + i);
                if (_sequences[sequence % Capacity] != sequence)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
