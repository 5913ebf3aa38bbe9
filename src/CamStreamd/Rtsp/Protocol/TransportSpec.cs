using System.Globalization;
using System.Text;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// One transport alternative of a Transport header (RFC 2326 §12.39):
/// <c>RTP/AVP[/UDP|/TCP] ;unicast|multicast ;client_port=a-b ;interleaved=a-b ;ssrc=hex ;mode=...</c>.
/// </summary>
public sealed record TransportSpec
{
    /// <summary>UDP or TCP interleaved.</summary>
    public RtspLowerTransport LowerTransport { get; init; }

    /// <summary>True for "multicast"; unicast is the default for RTP/AVP.</summary>
    public bool Multicast { get; init; }

    /// <summary>The client's RTP/RTCP port pair (UDP).</summary>
    public (int Rtp, int Rtcp)? ClientPort { get; init; }

    /// <summary>The server's RTP/RTCP port pair (UDP, in replies).</summary>
    public (int Rtp, int Rtcp)? ServerPort { get; init; }

    /// <summary>The interleaved channel pair (TCP).</summary>
    public (int Rtp, int Rtcp)? Interleaved { get; init; }

    /// <summary>The SSRC the sender uses, if stated.</summary>
    public uint? Ssrc { get; init; }

    /// <summary>The mode parameter without quotes ("PLAY" when absent, RFC 2326 §12.39).</summary>
    public string Mode { get; init; } = "PLAY";

    /// <summary>The destination parameter, if present.</summary>
    public string? Destination { get; init; }

    /// <summary>The multicast RTP/RTCP port pair (<c>port=</c>, RFC 2326 §12.39).</summary>
    public (int Rtp, int Rtcp)? Port { get; init; }

    /// <summary>The multicast time-to-live (<c>ttl=</c>, RFC 2326 §12.39).</summary>
    public int? Ttl { get; init; }

    /// <summary>
    /// Parses one alternative (no commas). False when the protocol is not RTP/AVP or a
    /// parameter we rely on is malformed. Unknown parameters are ignored (§12.39 allows extensions).
    /// </summary>
    public static bool TryParse(string text, out TransportSpec spec)
    {
        ArgumentNullException.ThrowIfNull(text);
        spec = null!;
        var parts = text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return false;
        }

        RtspLowerTransport lower;
        switch (parts[0].ToUpperInvariant())
        {
            case "RTP/AVP":
            case "RTP/AVP/UDP":
                lower = RtspLowerTransport.Udp;
                break;
            case "RTP/AVP/TCP":
                lower = RtspLowerTransport.Tcp;
                break;
            default:
                return false;
        }

        var result = new TransportSpec { LowerTransport = lower };
        foreach (var part in parts.AsSpan(1))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = (eq < 0 ? part : part[..eq]).ToUpperInvariant();
            var value = eq < 0 ? string.Empty : part[(eq + 1)..].Trim();
            switch (name)
            {
                case "UNICAST":
                    result = result with { Multicast = false };
                    break;
                case "MULTICAST":
                    result = result with { Multicast = true };
                    break;
                case "CLIENT_PORT":
                    if (!TryParseRange(value, 65535, out var client))
                    {
                        return false;
                    }

                    result = result with { ClientPort = client };
                    break;
                case "SERVER_PORT":
                    if (!TryParseRange(value, 65535, out var server))
                    {
                        return false;
                    }

                    result = result with { ServerPort = server };
                    break;
                case "INTERLEAVED":
                    if (!TryParseRange(value, 255, out var channels))
                    {
                        return false;
                    }

                    result = result with { Interleaved = channels };
                    break;
                case "SSRC":
                    if (!uint.TryParse(value, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var ssrc))
                    {
                        return false;
                    }

                    result = result with { Ssrc = ssrc };
                    break;
                case "MODE":
                    result = result with { Mode = value.Trim('"').ToUpperInvariant() };
                    break;
                case "DESTINATION":
                    result = result with { Destination = value };
                    break;
                case "PORT":
                    if (!TryParseRange(value, 65535, out var port))
                    {
                        return false;
                    }

                    result = result with { Port = port };
                    break;
                case "TTL":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var ttl) || ttl > 255)
                    {
                        return false;
                    }

                    result = result with { Ttl = ttl };
                    break;
            }
        }

        spec = result;
        return true;
    }

    /// <summary>Formats the spec as a Transport header alternative (as a server replies).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(LowerTransport == RtspLowerTransport.Tcp ? "RTP/AVP/TCP" : "RTP/AVP");
        sb.Append(Multicast ? ";multicast" : ";unicast");
        AppendRange(sb, "destination", null, Destination);
        AppendRange(sb, "port", Port, null);
        if (Ttl is { } ttl)
        {
            sb.Append(CultureInfo.InvariantCulture, $";ttl={ttl}");
        }

        AppendRange(sb, "client_port", ClientPort, null);
        AppendRange(sb, "server_port", ServerPort, null);
        AppendRange(sb, "interleaved", Interleaved, null);
        if (Ssrc is { } ssrc)
        {
            sb.Append(CultureInfo.InvariantCulture, $";ssrc={ssrc:X8}");
        }

        sb.Append(CultureInfo.InvariantCulture, $";mode=\"{Mode}\"");
        return sb.ToString();
    }

    private static void AppendRange(StringBuilder sb, string name, (int A, int B)? range, string? text)
    {
        if (range is { } r)
        {
            sb.Append(CultureInfo.InvariantCulture, $";{name}={r.A}-{r.B}");
        }
        else if (text is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $";{name}={text}");
        }
    }

    /// <summary>"a-b" or a lone "a" (then b = a + 1, RFC 2326 §12.39 port and channel ranges).</summary>
    private static bool TryParseRange(string value, int max, out (int, int) range)
    {
        range = default;
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        var firstText = dash < 0 ? value : value[..dash];
        if (!int.TryParse(firstText, NumberStyles.None, CultureInfo.InvariantCulture, out var a) || a > max)
        {
            return false;
        }

        var b = a + 1;
        if (dash >= 0 && (!int.TryParse(value.AsSpan(dash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out b) || b > max || b < a))
        {
            return false;
        }

        range = (a, Math.Min(b, max));
        return true;
    }
}
