using System.Net;
using CamStreamd.WebRtc.Sdp;

namespace CamStreamd.Tests.Rtsp.Fuzz;

/// <summary>
/// Fuzz target for a WHEP offer: <see cref="SdpOfferParser.Parse"/> returns or throws
/// <see cref="SdpOfferException"/> (a 400 with the reason), nothing else; a parsed offer's H.264
/// formats, the profile match and the answer never throw, and a chosen format was offered with
/// packetization-mode 1.
/// </summary>
internal static class SdpOfferFuzzProperty
{
    /// <summary>The offer target; an input is one request body.</summary>
    public static FuzzTarget Target { get; } = new("sdp-offer", Seeds(), Check, typeof(SdpOfferException));

    private static void Check(byte[] body)
    {
        var offer = SdpOfferParser.Parse(System.Text.Encoding.UTF8.GetString(body));
        foreach (var section in offer.Media)
        {
            var formats = SdpOffer.H264Formats(section);
            foreach (var stream in new uint[] { 0x42e01f, 0x4d0028, 0x640033 })
            {
                if (H264FormatMatcher.Choose(formats, stream, out var profile, out _) is { } chosen)
                {
                    FuzzPropertyException.Require(chosen.PacketizationMode == 1 && formats.Contains(chosen), "a chosen format that was not offered with packetization-mode 1");
                    _ = SdpAnswerBuilder.Build(offer, section, chosen.PayloadType, profile, "abcd", "0123456789abcdefghijklmn", "00:11", 1, "cam0", [IPAddress.Loopback], 8189);
                }
            }
        }
    }

    private static byte[][] Seeds() =>
    [
        .. FuzzCorpus.Load("sdp-offer").Select(c => c.Data),
        "v=0\r\ns=-\r\na=ice-ufrag:ab\r\nm=video 9 UDP/TLS/RTP/SAVPF 102\r\na=rtpmap:102 H264/90000\r\na=fmtp:102 packetization-mode=1;profile-level-id=42e01f\r\n"u8.ToArray(),
    ];
}
