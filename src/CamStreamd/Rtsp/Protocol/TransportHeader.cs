namespace CamStreamd.Rtsp.Protocol;

/// <summary>Choosing among the comma-separated alternatives of a Transport header (RFC 2326 §12.39).</summary>
public static class TransportHeader
{
    /// <summary>Parses every alternative that parses, in the client's order of preference.</summary>
    public static IReadOnlyList<TransportSpec> ParseAll(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var list = new List<TransportSpec>();
        foreach (var alternative in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (TransportSpec.TryParse(alternative, out var spec))
            {
                list.Add(spec);
            }
        }

        return list;
    }

    /// <summary>
    /// Picks the first alternative this server serves: unicast PLAY over UDP with a client_port
    /// pair, or over TCP interleaved. False (→ 461 Unsupported Transport) when none fits.
    /// </summary>
    public static bool TrySelect(string value, out TransportSpec spec)
    {
        foreach (var candidate in ParseAll(value))
        {
            if (IsSupported(candidate))
            {
                spec = candidate;
                return true;
            }
        }

        spec = null!;
        return false;
    }

    /// <summary>True when the server can deliver over <paramref name="spec"/>.</summary>
    public static bool IsSupported(TransportSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Multicast || spec.Mode != "PLAY")
        {
            return false;
        }

        return spec.LowerTransport == RtspLowerTransport.Tcp || spec.ClientPort is not null;
    }
}
