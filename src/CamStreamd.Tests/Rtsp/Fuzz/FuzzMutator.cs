namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>
/// A small seeded mutation engine (in the spirit of AFL's havoc stage): each call picks a seed
/// input and stacks one to six mutations on it — bit flips, byte insertion and deletion, chunk
/// duplication, splicing with another seed, and "interesting" tokens (line ends, ':', '$',
/// boundary and huge numbers). Deterministic for a given <see cref="Random"/>.
/// </summary>
internal sealed class FuzzMutator
{
    /// <summary>Mutated inputs never grow past this many bytes (above the request line and header block limits).</summary>
    public const int MaxInputLength = 24 * 1024;

    /// <summary>Tokens that sit on parser decisions: separators, line ends, frame markers, edge numbers.</summary>
    private static readonly byte[][] Tokens =
    [
        .. new[]
        {
            "\r\n", "\n", "\r", "\r\n\r\n", "\n\n", ":", ": ", "$", " ", "\t", ";", ",", "=", "-", "\"", "/", "*",
            "0", "1", "-1", "255", "256", "65535", "65536", "2147483647", "2147483648", "4294967295", "4294967296",
            "9223372036854775807", "9223372036854775808", "99999999999999999999999999", "00000000000000000001",
            "Content-Length: ", "Content-Length: 99999999999\r\n", "CSeq: ", "Session: ", "Transport: ",
            "RTSP/1.0", "RTSP/1.", "RTSP/2.0", "rtsp://", "RTP/AVP", "RTP/AVP/TCP", "/TCP", ";unicast", ";multicast",
            "interleaved=", "client_port=", "server_port=", "ssrc=", "mode=", "destination=", "\r\n ", "\u00e9", "\ufeff",
        }.Select(System.Text.Encoding.UTF8.GetBytes),
        [0x00], [0xFF], [0x80], [0x7F], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0x24, 0x01, 0xFF, 0xFF], [0x24, 0x00, 0x00, 0x00],
        [0x80, 0x60], [0xBF, 0xE0], [0x7C, 0x85], [0x7C, 0x45], [0x18, 0x00, 0x00], [0x78, 0x00, 0x05],
    ];

    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x0A, 0x0D, 0x20, 0x24, 0x3A, 0x3B, 0x7F, 0x80, 0xFF];

    private readonly Random _random;
    private readonly IReadOnlyList<byte[]> _seeds;

    /// <summary>Creates a mutator over <paramref name="seeds"/> (at least one).</summary>
    public FuzzMutator(Random random, IReadOnlyList<byte[]> seeds)
    {
        if (seeds.Count == 0)
        {
            throw new ArgumentException("A fuzz target needs at least one seed input.", nameof(seeds));
        }

        _random = random;
        _seeds = seeds;
    }

    /// <summary>The next input: a seed with 1..6 stacked mutations (one in 64 is a seed unchanged).</summary>
    public byte[] Next()
    {
        var data = new List<byte>(_seeds[_random.Next(_seeds.Count)]);
        if (_random.Next(64) == 0)
        {
            return [.. data];
        }

        var count = 1 + _random.Next(6);
        for (var i = 0; i < count; i++)
        {
            Mutate(data);
            if (data.Count > MaxInputLength)
            {
                data.RemoveRange(MaxInputLength, data.Count - MaxInputLength);
            }
        }

        return [.. data];
    }

    private void Mutate(List<byte> data)
    {
        switch (_random.Next(11))
        {
            case 0 when data.Count > 0: // flip one bit
                var at = _random.Next(data.Count);
                data[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when data.Count > 0: // overwrite with a random or interesting byte
                data[_random.Next(data.Count)] = _random.Next(2) == 0 ? (byte)_random.Next(256) : InterestingBytes[_random.Next(InterestingBytes.Length)];
                break;
            case 2: // insert random bytes
                var insert = new byte[1 + _random.Next(8)];
                _random.NextBytes(insert);
                data.InsertRange(_random.Next(data.Count + 1), insert);
                break;
            case 3 when data.Count > 0: // delete a range
                var start = _random.Next(data.Count);
                data.RemoveRange(start, Math.Min(data.Count - start, 1 + _random.Next(Math.Min(64, data.Count))));
                break;
            case 4 when data.Count > 0: // duplicate a chunk, sometimes many times (grows past size and count limits)
                var from = _random.Next(data.Count);
                var chunk = data.GetRange(from, Math.Min(data.Count - from, 1 + _random.Next(256)));
                var times = _random.Next(4) == 0 ? 1 + _random.Next(200) : 1;
                var to = _random.Next(data.Count + 1);
                for (var t = 0; t < times && data.Count < MaxInputLength; t++)
                {
                    data.InsertRange(to, chunk);
                }

                break;
            case 5: // splice: this input's head, another seed's tail
                var other = _seeds[_random.Next(_seeds.Count)];
                var cut = _random.Next(data.Count + 1);
                var otherCut = _random.Next(other.Length + 1);
                data.RemoveRange(cut, data.Count - cut);
                data.AddRange(other.AsSpan(otherCut).ToArray());
                break;
            case 6: // insert a token
                data.InsertRange(_random.Next(data.Count + 1), Tokens[_random.Next(Tokens.Length)]);
                break;
            case 7 when data.Count > 0: // replace a range with a token
                var token = Tokens[_random.Next(Tokens.Length)];
                var where = _random.Next(data.Count);
                data.RemoveRange(where, Math.Min(data.Count - where, 1 + _random.Next(token.Length + 4)));
                data.InsertRange(where, token);
                break;
            case 8 when data.Count > 0: // truncate
                var keep = _random.Next(data.Count);
                data.RemoveRange(keep, data.Count - keep);
                break;
            case 9: // append another whole seed (pipelining)
                data.AddRange(_seeds[_random.Next(_seeds.Count)]);
                break;
            case 10 when data.Count > 1: // swap two bytes
                var a = _random.Next(data.Count);
                var b = _random.Next(data.Count);
                (data[a], data[b]) = (data[b], data[a]);
                break;
            default:
                data.Insert(_random.Next(data.Count + 1), (byte)_random.Next(256));
                break;
        }
    }
}
