namespace CamStreamd.WebRtc.Sdp;

/// <summary>A browser's offer, parsed: its m= sections (in order) and the session-level BUNDLE group.</summary>
/// <param name="Media">Every m= section, in order (the answer has one per section).</param>
/// <param name="Bundle">The mids of a=group:BUNDLE, empty when none.</param>
internal sealed record SdpOffer(IReadOnlyList<SdpMediaSection> Media, IReadOnlyList<string> Bundle)
{
    /// <summary>The first video section we could send on (port not 0 checked by the parser), or null.</summary>
    public SdpMediaSection? Video => Media.FirstOrDefault(m => m.Kind == "video");

    /// <summary>The H.264 formats of <paramref name="section"/>, in the offer's order of preference.</summary>
    public static IReadOnlyList<SdpH264Format> H264Formats(SdpMediaSection section)
    {
        var formats = new List<SdpH264Format>();
        foreach (var format in section.Formats)
        {
            if (!int.TryParse(format, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pt)
                || !section.RtpMaps.TryGetValue(pt, out var map) || !map.StartsWith("H264/90000", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            uint? profile = null;
            var mode = 0;
            var asymmetry = false;
            if (section.Fmtps.TryGetValue(pt, out var fmtp))
            {
                foreach (var part in fmtp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var eq = part.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        continue;
                    }

                    var key = part[..eq].Trim();
                    var value = part[(eq + 1)..].Trim();
                    if (key.Equals("profile-level-id", StringComparison.OrdinalIgnoreCase)
                        && value.Length == 6 && uint.TryParse(value, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var id))
                    {
                        profile = id;
                    }
                    else if (key.Equals("packetization-mode", StringComparison.OrdinalIgnoreCase))
                    {
                        _ = int.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out mode);
                    }
                    else if (key.Equals("level-asymmetry-allowed", StringComparison.OrdinalIgnoreCase))
                    {
                        asymmetry = value == "1";
                    }
                }
            }

            formats.Add(new SdpH264Format(pt, profile, mode, asymmetry));
        }

        return formats;
    }
}
