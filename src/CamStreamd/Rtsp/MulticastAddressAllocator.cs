using System.Buffers.Binary;
using System.Net;

namespace CamStreamd.Rtsp;

/// <summary>
/// Gives each stream one multicast group and an even RTP port (RTCP = port + 1) from the configured
/// range, deterministically: the search starts at an address chosen by a hash of the stream name
/// (FNV-1a), so a stream keeps its group across restarts and config reorders; a collision moves
/// to the next free address, and when every address is taken, to the next port pair.
/// </summary>
internal sealed class MulticastAddressAllocator
{
    /// <summary>Port pairs tried per address once every address of the range is taken.</summary>
    public const int PortPairsPerAddress = 16;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, IPEndPoint> _byStream = new(StringComparer.Ordinal);
    private readonly HashSet<IPEndPoint> _taken = [];
    private readonly uint _first;
    private readonly uint _count;
    private readonly int _basePort;

    public MulticastAddressAllocator(IPNetwork range, int basePort)
    {
        var bytes = range.BaseAddress.GetAddressBytes();
        if (bytes.Length != 4 || range.PrefixLength is < 4 or > 32)
        {
            throw new ArgumentException($"not an IPv4 multicast range: {range}", nameof(range));
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThan(basePort + (2 * PortPairsPerAddress), ushort.MaxValue, nameof(basePort));
        var size = range.PrefixLength == 32 ? 1u : 1u << (32 - range.PrefixLength);
        var network = BinaryPrimitives.ReadUInt32BigEndian(bytes);

        // Leave out the range's first and last address when there are others (x.x.x.0 and .255 of a /24 look like
        // network and broadcast addresses to people and to some switches, though multicast has neither).
        var skipEdges = size >= 4;
        _first = network + (skipEdges ? 1u : 0u);
        _count = Math.Min(size - (skipEdges ? 2u : 0u), 1u << 20);
        _basePort = basePort & ~1;
    }

    /// <summary>The group of <paramref name="stream"/> (the same one every call); false when the range is full.</summary>
    public bool TryAllocate(string stream, out IPEndPoint group)
    {
        lock (_gate)
        {
            if (_byStream.TryGetValue(stream, out group!))
            {
                return true;
            }

            var start = Fnv1a(stream) % _count;
            var slots = (long)_count * PortPairsPerAddress;
            Span<byte> bytes = stackalloc byte[4];
            for (long i = 0; i < slots; i++)
            {
                var slot = (start + i) % slots;
                var address = _first + (uint)(slot % _count);
                var port = _basePort + (2 * (int)(slot / _count));
                BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
                var candidate = new IPEndPoint(new IPAddress(bytes), port);
                if (_taken.Add(candidate))
                {
                    _byStream[stream] = candidate;
                    group = candidate;
                    return true;
                }
            }

            group = null!;
            return false;
        }
    }

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(text))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }
}
