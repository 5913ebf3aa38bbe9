using System.Globalization;
using System.Text;
using CamStreamd.WebRtc.Dtls;

namespace CamStreamd.WhepLoad;

/// <summary>
/// The load client's SDP offer, a trimmed Chromium one: one recvonly video section, BUNDLE,
/// rtcp-mux, our ICE credentials and certificate fingerprint, <c>a=setup:active</c> (we are the
/// DTLS client), and H.264 packetization-mode 1 in the profiles a browser offers
/// (Constrained Baseline, Baseline, Main, High at level 3.1), so any stream's profile matches.
/// </summary>
internal static class WhepOffer
{
    /// <summary>Payload type and profile-level-id of each H.264 format offered.</summary>
    private static readonly (int PayloadType, string ProfileLevelId)[] Formats =
    [
        (102, "42e01f"),
        (104, "42001f"),
        (106, "4d001f"),
        (108, "64001f"),
    ];

    /// <summary>Writes the offer.</summary>
    public static string Build(string ufrag, string password, DtlsFingerprint fingerprint)
    {
        var sb = new StringBuilder();
        Line(sb, "v=0");
        Line(sb, $"o=- {Random.Shared.NextInt64(1, long.MaxValue)} 2 IN IP4 127.0.0.1");
        Line(sb, "s=-");
        Line(sb, "t=0 0");
        Line(sb, "a=group:BUNDLE 0");
        Line(sb, $"m=video 9 UDP/TLS/RTP/SAVPF {string.Join(' ', Formats.Select(f => f.PayloadType.ToString(CultureInfo.InvariantCulture)))}");
        Line(sb, "c=IN IP4 0.0.0.0");
        Line(sb, "a=rtcp:9 IN IP4 0.0.0.0");
        Line(sb, $"a=ice-ufrag:{ufrag}");
        Line(sb, $"a=ice-pwd:{password}");
        Line(sb, $"a=fingerprint:{fingerprint}");
        Line(sb, "a=setup:active");
        Line(sb, "a=mid:0");
        Line(sb, "a=recvonly");
        Line(sb, "a=rtcp-mux");
        foreach (var (pt, profile) in Formats)
        {
            Line(sb, $"a=rtpmap:{pt} H264/90000");
            Line(sb, $"a=rtcp-fb:{pt} nack");
            Line(sb, $"a=rtcp-fb:{pt} nack pli");
            Line(sb, $"a=fmtp:{pt} level-asymmetry-allowed=1;packetization-mode=1;profile-level-id={profile}");
        }

        return sb.ToString();
    }

    private static void Line(StringBuilder sb, string line) => sb.Append(line).Append("\r\n");
}
