using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CamStreamd.WebRtc.Dtls;

namespace CamStreamd.WhepLoad;

/// <summary>What the load client needs of the daemon's SDP answer: its ICE credentials, its certificate's fingerprint, its host candidates (IPv4, UDP) and the payload type chosen.</summary>
internal sealed record WhepAnswer(string Ufrag, string Password, DtlsFingerprint Fingerprint, IReadOnlyList<IPEndPoint> Candidates, int PayloadType)
{
    /// <summary>Reads the answer; throws <see cref="FormatException"/> naming what is missing.</summary>
    public static WhepAnswer Parse(string sdp)
    {
        string? ufrag = null, password = null;
        DtlsFingerprint? fingerprint = null;
        int? payloadType = null;
        var candidates = new List<IPEndPoint>();
        foreach (var raw in sdp.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("a=ice-ufrag:", StringComparison.Ordinal))
            {
                ufrag = line[12..].Trim();
            }
            else if (line.StartsWith("a=ice-pwd:", StringComparison.Ordinal))
            {
                password = line[10..].Trim();
            }
            else if (line.StartsWith("a=fingerprint:", StringComparison.Ordinal))
            {
                _ = DtlsFingerprint.TryParse(line[14..].Trim(), out fingerprint);
            }
            else if (line.StartsWith("m=video ", StringComparison.Ordinal))
            {
                // m=video <port> <proto> <pt>: the answer keeps one format.
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 4 && int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var pt))
                {
                    payloadType = pt;
                }
            }
            else if (line.StartsWith("a=candidate:", StringComparison.Ordinal))
            {
                // a=candidate:<foundation> <component> udp <priority> <address> <port> typ host
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 8 && parts[2].Equals("udp", StringComparison.OrdinalIgnoreCase)
                    && IPAddress.TryParse(parts[4], out var address) && address.AddressFamily == AddressFamily.InterNetwork
                    && int.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                {
                    candidates.Add(new IPEndPoint(address, port));
                }
            }
        }

        if (ufrag is null || password is null)
        {
            throw new FormatException("the answer has no a=ice-ufrag / a=ice-pwd");
        }

        if (fingerprint is null)
        {
            throw new FormatException("the answer has no a=fingerprint:sha-256");
        }

        if (candidates.Count == 0)
        {
            throw new FormatException("the answer has no IPv4 UDP host candidate");
        }

        return new WhepAnswer(ufrag, password, fingerprint, candidates, payloadType ?? throw new FormatException("the answer has no m=video format"));
    }

    /// <summary>The candidate on <paramref name="preferred"/> (the address the offer went to), else the first.</summary>
    public IPEndPoint Pick(IPAddress preferred) => Candidates.FirstOrDefault(c => c.Address.Equals(preferred)) ?? Candidates[0];
}
