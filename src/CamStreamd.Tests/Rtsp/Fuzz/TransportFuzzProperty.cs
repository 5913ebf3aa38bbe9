using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>
/// The properties of the Transport header parser (<see cref="TransportHeader"/>, <see cref="TransportSpec"/>)
/// on any header value: it never throws; every alternative that parses, formatted again with
/// <see cref="TransportSpec.ToString"/>, parses to an equal spec; the selected alternative is one
/// of the parsed ones and is supported; parsed ranges are in bounds and ordered.
/// </summary>
internal static class TransportFuzzProperty
{
    /// <summary>The target, seeded with Transport values that ffmpeg, GStreamer, VLC and NVRs send.</summary>
    public static FuzzTarget Target { get; } = new("transport", Seeds(), Check);

    private static byte[][] Seeds() =>
    [
        .. new[]
        {
            "RTP/AVP/TCP;unicast;interleaved=0-1",
            "RTP/AVP/TCP;unicast;interleaved=2-3;mode=\"PLAY\"",
            "RTP/AVP;unicast;client_port=50000-50001",
            "RTP/AVP/UDP;unicast;client_port=5000-5001;mode=play",
            "RTP/AVP;unicast;client_port=50000-50001,RTP/AVP/TCP;unicast;interleaved=0-1",
            "RTP/AVP;multicast;destination=239.1.2.3;port=5000-5001;ttl=16",
            "RTP/AVP;unicast;client_port=6970-6971;ssrc=1A2B3C4D;source=10.0.0.1;server_port=8000-8001",
            "RTP/AVP;unicast;client_port=6970",
            "RTP/AVP/TCP;interleaved=254-255",
            "RTP/SAVP;unicast;client_port=1-2",
        }.Select(System.Text.Encoding.UTF8.GetBytes),
    ];

    private static void Check(byte[] input)
    {
        // Header values reach the parser as UTF-8-decoded strings; Latin-1 keeps every byte distinct.
        CheckValue(System.Text.Encoding.UTF8.GetString(input));
        CheckValue(System.Text.Encoding.Latin1.GetString(input));
    }

    private static void CheckValue(string value)
    {
        var all = TransportHeader.ParseAll(value);
        foreach (var spec in all)
        {
            CheckRanges(spec.ClientPort, 65535, "client_port", value);
            CheckRanges(spec.ServerPort, 65535, "server_port", value);
            CheckRanges(spec.Interleaved, 255, "interleaved", value);
            var text = spec.ToString();
            FuzzPropertyException.Require(
                TransportSpec.TryParse(text, out var again) && again == spec,
                $"'{value}' parsed to {spec}, which formats as '{text}' and parses back to {(again is null ? "nothing" : again)}");
        }

        if (TransportHeader.TrySelect(value, out var selected))
        {
            FuzzPropertyException.Require(all.Contains(selected) && TransportHeader.IsSupported(selected), $"'{value}': selected {selected} is not a supported parsed alternative");
        }
        else
        {
            FuzzPropertyException.Require(!all.Any(TransportHeader.IsSupported), $"'{value}': nothing selected though a supported alternative parsed");
        }
    }

    private static void CheckRanges((int Rtp, int Rtcp)? range, int max, string name, string value)
    {
        if (range is { } r)
        {
            FuzzPropertyException.Require(r.Rtp >= 0 && r.Rtp <= r.Rtcp && r.Rtcp <= max, $"'{value}': {name} {r.Rtp}-{r.Rtcp} is out of 0..{max} or reversed");
        }
    }
}
