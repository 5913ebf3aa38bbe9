using System.Globalization;

namespace CamStreamd.WebRtc.Sdp;

/// <summary>
/// Parses a browser's SDP offer (RFC 8866 lines; the WebRTC attributes of RFC 8839, 8842, 8843,
/// 6184): m= sections with their rtpmap/fmtp, ice-ufrag/pwd, fingerprint, setup, mid, direction,
/// and the BUNDLE group. Attributes it does not need (rtcp-fb, extmap, ssrc, candidates…) are
/// skipped. Anything it cannot read throws <see cref="SdpOfferException"/> naming the line.
/// </summary>
internal static class SdpOfferParser
{
    /// <summary>Largest offer accepted (Chromium's with audio, video and data is about 6 KB).</summary>
    public const int MaxLength = 64 * 1024;

    /// <summary>Most lines accepted.</summary>
    public const int MaxLines = 4000;

    /// <summary>Most m= sections accepted.</summary>
    public const int MaxMedia = 16;

    /// <summary>Parses <paramref name="text"/>.</summary>
    public static SdpOffer Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length > MaxLength)
        {
            throw new SdpOfferException($"the offer is longer than {MaxLength} bytes");
        }

        var lines = text.Split('\n');
        if (lines.Length > MaxLines)
        {
            throw new SdpOfferException($"the offer has more than {MaxLines} lines");
        }

        var media = new List<SdpMediaSection>();
        var bundle = new List<string>();
        var session = new SdpMediaSection { Kind = "session", Protocol = "", Formats = [] };
        SdpMediaSection current = session;
        var sawVersion = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0)
            {
                continue;
            }

            if (line.Length < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z')
            {
                throw new SdpOfferException($"line {i + 1} is not type=value: \"{Shorten(line)}\"");
            }

            if (!sawVersion)
            {
                if (line != "v=0")
                {
                    throw new SdpOfferException($"the offer must start with v=0 (line {i + 1}: \"{Shorten(line)}\")");
                }

                sawVersion = true;
                continue;
            }

            var value = line[2..];
            switch (line[0])
            {
                case 'm':
                    if (media.Count == MaxMedia)
                    {
                        throw new SdpOfferException($"the offer has more than {MaxMedia} m= sections");
                    }

                    current = ParseMediaLine(value, i + 1);
                    media.Add(current);
                    break;
                case 'a':
                    ParseAttribute(value, current, current == session ? bundle : null, i + 1);
                    break;
            }
        }

        if (!sawVersion)
        {
            throw new SdpOfferException("the offer is empty (no v=0 line)");
        }

        if (media.Count == 0)
        {
            throw new SdpOfferException("the offer has no m= section");
        }

        foreach (var section in media)
        {
            section.IceUfrag ??= session.IceUfrag;
            section.IcePwd ??= session.IcePwd;
            section.Fingerprint ??= session.Fingerprint;
            section.Setup ??= session.Setup;
            section.Direction ??= session.Direction;
        }

        return new SdpOffer(media, bundle);
    }

    private static SdpMediaSection ParseMediaLine(string value, int lineNumber)
    {
        // m=<media> <port>[/<count>] <proto> <fmt> ...
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 4)
        {
            throw new SdpOfferException($"line {lineNumber}: an m= line needs media, port, protocol and at least one format: \"m={Shorten(value)}\"");
        }

        var port = parts[1].Split('/')[0];
        if (!int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > 65535)
        {
            throw new SdpOfferException($"line {lineNumber}: the m= line's port \"{Shorten(parts[1])}\" is not a number 0..65535");
        }

        return new SdpMediaSection { Kind = parts[0], Protocol = parts[2], Formats = parts[3..] };
    }

    private static void ParseAttribute(string value, SdpMediaSection section, List<string>? bundle, int lineNumber)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? value : value[..colon];
        var rest = colon < 0 ? "" : value[(colon + 1)..];
        switch (name)
        {
            case "ice-ufrag":
                section.IceUfrag = rest.Trim();
                break;
            case "ice-pwd":
                section.IcePwd = rest.Trim();
                break;
            case "fingerprint":
                var space = rest.IndexOf(' ', StringComparison.Ordinal);
                if (space <= 0)
                {
                    throw new SdpOfferException($"line {lineNumber}: a=fingerprint needs a hash name and a value: \"a={Shorten(value)}\"");
                }

                section.Fingerprint = (rest[..space].Trim().ToLowerInvariant(), rest[(space + 1)..].Trim());
                break;
            case "setup":
                section.Setup = rest.Trim();
                break;
            case "mid":
                section.Mid = rest.Trim();
                break;
            case "sendrecv" or "recvonly" or "sendonly" or "inactive":
                section.Direction = name;
                break;
            case "group" when bundle is not null && rest.StartsWith("BUNDLE", StringComparison.Ordinal):
                bundle.AddRange(rest[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                break;
            case "rtpmap":
                if (PayloadTypeAndValue(rest) is { } map)
                {
                    section.RtpMaps[map.PayloadType] = map.Value;
                }

                break;
            case "fmtp":
                if (PayloadTypeAndValue(rest) is { } fmtp)
                {
                    section.Fmtps[fmtp.PayloadType] = fmtp.Value;
                }

                break;
        }
    }

    private static (int PayloadType, string Value)? PayloadTypeAndValue(string rest)
    {
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || !int.TryParse(rest.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var pt) || pt > 127)
        {
            return null;
        }

        return (pt, rest[(space + 1)..].Trim());
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "…";
}
