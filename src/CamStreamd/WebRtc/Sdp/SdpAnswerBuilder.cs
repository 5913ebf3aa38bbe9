using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CamStreamd.WebRtc.Sdp;

/// <summary>
/// Writes the answer to a browser's offer (RFC 8829 §5.3, RFC 8843 BUNDLE): ICE-lite, our
/// credentials and certificate fingerprint, a=setup:passive (we are the DTLS server), one
/// sendonly H.264 video section with rtcp-mux, NACK/PLI/FIR feedback and our SSRC, a host
/// candidate per address, and every other offered section rejected (port 0), as the answer must
/// have one section per offered one.
/// </summary>
internal static class SdpAnswerBuilder
{
    /// <summary>Builds the answer.</summary>
    /// <param name="offer">The parsed offer.</param>
    /// <param name="video">The offer's video section we answer.</param>
    /// <param name="payloadType">The offered H.264 payload type chosen.</param>
    /// <param name="profileLevelId">The profile-level-id to announce.</param>
    /// <param name="ufrag">Our ice-ufrag.</param>
    /// <param name="password">Our ice-pwd.</param>
    /// <param name="fingerprint">Our certificate's SHA-256 fingerprint (colon-separated upper-case hex).</param>
    /// <param name="ssrc">The stream's RTP SSRC.</param>
    /// <param name="streamName">The stream (the msid's stream id).</param>
    /// <param name="candidates">Host candidate addresses and our UDP port.</param>
    /// <param name="port">Our UDP port.</param>
    public static string Build(SdpOffer offer, SdpMediaSection video, int payloadType, uint profileLevelId, string ufrag, string password, string fingerprint, uint ssrc, string streamName, IReadOnlyList<IPAddress> candidates, int port)
    {
        var sb = new StringBuilder(1024);
        var sessionId = Random.Shared.NextInt64(1, long.MaxValue);
        Line(sb, "v=0");
        Line(sb, $"o=- {sessionId} 1 IN IP4 0.0.0.0");
        Line(sb, "s=camstreamd");
        Line(sb, "t=0 0");
        if (video.Mid is { } mid && offer.Bundle.Contains(mid))
        {
            Line(sb, $"a=group:BUNDLE {mid}");
        }

        Line(sb, "a=ice-lite");
        Line(sb, "a=msid-semantic: WMS *");
        foreach (var section in offer.Media)
        {
            if (!ReferenceEquals(section, video))
            {
                Line(sb, $"m={section.Kind} 0 {section.Protocol} {section.Formats[0]}");
                Line(sb, "c=IN IP4 0.0.0.0");
                if (section.Mid is { } otherMid)
                {
                    Line(sb, $"a=mid:{otherMid}");
                }

                Line(sb, "a=inactive");
                continue;
            }

            Line(sb, $"m=video {port} {section.Protocol} {payloadType}");
            Line(sb, "c=IN IP4 0.0.0.0");
            if (section.Mid is { } videoMid)
            {
                Line(sb, $"a=mid:{videoMid}");
            }

            Line(sb, $"a=ice-ufrag:{ufrag}");
            Line(sb, $"a=ice-pwd:{password}");
            Line(sb, $"a=fingerprint:sha-256 {fingerprint}");
            Line(sb, "a=setup:passive");
            Line(sb, "a=sendonly");
            Line(sb, "a=rtcp-mux");
            Line(sb, $"a=msid:{MsidToken(streamName)} video");
            Line(sb, $"a=rtpmap:{payloadType} H264/90000");
            Line(sb, $"a=fmtp:{payloadType} level-asymmetry-allowed=1;packetization-mode=1;profile-level-id={profileLevelId:x6}");
            Line(sb, $"a=rtcp-fb:{payloadType} nack");
            Line(sb, $"a=rtcp-fb:{payloadType} nack pli");
            Line(sb, $"a=rtcp-fb:{payloadType} ccm fir");
            Line(sb, $"a=ssrc:{ssrc} cname:camstreamd");
            Line(sb, $"a=ssrc:{ssrc} msid:{MsidToken(streamName)} video");
            for (var i = 0; i < candidates.Count; i++)
            {
                // RFC 8445 §5.1.2.1: type preference 126 (host), local preference falling with the list, component 1.
                var priority = (126u << 24) | ((uint)(65535 - i) << 8) | 255u;
                var address = candidates[i];
                var text = address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString() : address.ToString();
                Line(sb, $"a=candidate:{i + 1} 1 udp {priority} {text} {port} typ host");
            }

            Line(sb, "a=end-of-candidates");
        }

        return sb.ToString();
    }

    // msid ids are token characters (RFC 8830 §2); a stream name may hold others.
    private static string MsidToken(string name)
    {
        var sb = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string line) => sb.Append(line).Append("\r\n");
}
