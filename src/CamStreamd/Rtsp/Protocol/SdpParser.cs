using System.Globalization;

namespace CamStreamd.Rtsp.Protocol;

/// <summary>
/// Reads what the pull client needs from a DESCRIBE reply's SDP (RFC 4566): the first video
/// media section whose <c>a=rtpmap</c> names H264, its payload type and clock rate, its
/// <c>a=control</c>, and the fmtp parameters of RFC 6184 §8.1 (packetization-mode,
/// sprop-parameter-sets). Other media (audio, metadata) are ignored. Never throws on bad input.
/// </summary>
public static class SdpParser
{
    /// <summary>Most lines looked at (a real SDP has a few dozen).</summary>
    public const int MaxLines = 512;

    /// <summary>Finds the H.264 track; false with a reason when the SDP has none usable.</summary>
    public static bool TryParseH264(string sdp, out SdpH264Track track, out string reason)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        track = null!;
        string? sessionControl = null;
        var inSession = true;
        var lines = sdp.Split('\n', MaxLines + 1);
        var count = Math.Min(lines.Length, MaxLines);
        var sawVideo = false;
        for (var i = 0; i < count; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                inSession = false;
                if (line.StartsWith("m=video ", StringComparison.Ordinal))
                {
                    sawVideo = true;
                    if (TryReadVideoSection(lines, i, count, sessionControl, out track))
                    {
                        reason = string.Empty;
                        return true;
                    }
                }
            }
            else if (inSession && line.StartsWith("a=control:", StringComparison.Ordinal))
            {
                sessionControl = line["a=control:".Length..].Trim();
            }
        }

        reason = sawVideo ? "the SDP's video is not H.264 with packetization-mode 0 or 1" : "the SDP has no video track";
        return false;
    }

    private static bool TryReadVideoSection(string[] lines, int start, int count, string? sessionControl, out SdpH264Track track)
    {
        track = null!;

        // m=video <port> <proto> <fmt> ...: the payload types offered.
        var formats = lines[start].TrimEnd('\r').Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(3).ToArray();
        string? control = null;
        var payloadType = -1;
        var clockRate = 0;
        var fmtp = new Dictionary<int, string>();
        for (var i = start + 1; i < count; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                break;
            }

            if (line.StartsWith("a=control:", StringComparison.Ordinal))
            {
                control = line["a=control:".Length..].Trim();
            }
            else if (line.StartsWith("a=rtpmap:", StringComparison.Ordinal) && payloadType < 0)
            {
                // a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
                var value = line["a=rtpmap:".Length..];
                var space = value.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0 && int.TryParse(value.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var pt)
                    && formats.Contains(value[..space], StringComparer.Ordinal))
                {
                    var encoding = value[(space + 1)..].Trim().Split('/');
                    if (encoding[0].Equals("H264", StringComparison.OrdinalIgnoreCase) && pt is >= 0 and <= 127)
                    {
                        payloadType = pt;
                        clockRate = encoding.Length > 1 && int.TryParse(encoding[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rate) && rate > 0
                            ? rate
                            : 90_000;
                    }
                }
            }
            else if (line.StartsWith("a=fmtp:", StringComparison.Ordinal))
            {
                var value = line["a=fmtp:".Length..];
                var space = value.IndexOf(' ', StringComparison.Ordinal);
                if (space > 0 && int.TryParse(value.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var pt))
                {
                    fmtp.TryAdd(pt, value[(space + 1)..]);
                }
            }
        }

        if (payloadType < 0)
        {
            return false;
        }

        var mode = 0;
        byte[] sps = [];
        byte[] pps = [];
        if (fmtp.TryGetValue(payloadType, out var parameters))
        {
            foreach (var parameter in parameters.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = parameter.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0)
                {
                    continue;
                }

                var name = parameter[..eq].Trim();
                var value = parameter[(eq + 1)..].Trim();
                if (name.Equals("packetization-mode", StringComparison.OrdinalIgnoreCase))
                {
                    _ = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out mode);
                }
                else if (name.Equals("sprop-parameter-sets", StringComparison.OrdinalIgnoreCase))
                {
                    ReadParameterSets(value, ref sps, ref pps);
                }
            }
        }

        if (mode is not (0 or 1))
        {
            return false;
        }

        track = new SdpH264Track(payloadType, clockRate, control, sessionControl, mode, sps, pps);
        return true;
    }

    /// <summary>sprop-parameter-sets: base64 NAL units separated by commas (RFC 6184 §8.1); the first SPS (type 7) and PPS (type 8) win.</summary>
    private static void ReadParameterSets(string value, ref byte[] sps, ref byte[] pps)
    {
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var buffer = new byte[(part.Length * 3 / 4) + 3];
            if (!Convert.TryFromBase64String(part, buffer, out var length) || length == 0)
            {
                continue;
            }

            var nal = buffer[..length];
            switch (nal[0] & 0x1F)
            {
                case 7 when sps.Length == 0:
                    sps = nal;
                    break;
                case 8 when pps.Length == 0:
                    pps = nal;
                    break;
            }
        }
    }
}
