namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// Picks the Transport alternative to serve (RFC 2326 §12.39: the client lists them in order of
/// preference) when multicast may be on: the first one that is either a unicast alternative
/// <see cref="TransportHeader.IsSupported"/> accepts or, with multicast enabled, UDP multicast for PLAY.
/// </summary>
public static class TransportSelector
{
    /// <summary>Selects an alternative of <paramref name="value"/>; false (→ 461) when none can be served.</summary>
    public static bool TrySelect(string value, bool multicastEnabled, out TransportSpec spec)
    {
        foreach (var candidate in TransportHeader.ParseAll(value))
        {
            if (TransportHeader.IsSupported(candidate) || (multicastEnabled && IsMulticastPlay(candidate)))
            {
                spec = candidate;
                return true;
            }
        }

        spec = null!;
        return false;
    }

    /// <summary>True for <c>RTP/AVP;multicast</c> (UDP) in PLAY mode.</summary>
    public static bool IsMulticastPlay(TransportSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Multicast && spec.LowerTransport == RtspLowerTransport.Udp && spec.Mode == "PLAY";
    }
}
