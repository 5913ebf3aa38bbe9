using System.Net;
using CamStreamd.WebRtc.Sdp;

namespace CamStreamd.Tests.WebRtc.Plane;

/// <summary>The offer parser, the H.264 profile match and the answer, on Chromium's recorded offer and edits of it.</summary>
public sealed class SdpOfferTests
{
    [Fact]
    public void Chromiums_offer_parses_with_credentials_fingerprint_bundle_and_h264_formats()
    {
        var offer = SdpOfferParser.Parse(WebRtcTestOffers.Chromium);
        var video = Assert.IsType<SdpMediaSection>(offer.Video);
        Assert.Equal(WebRtcTestOffers.ChromiumUfrag, video.IceUfrag);
        Assert.Equal("IFBXe9QO7mnIBXR9baziZ77L", video.IcePwd);
        Assert.Equal("sha-256", video.Fingerprint!.Value.Algorithm);
        Assert.Equal("actpass", video.Setup);
        Assert.Equal("recvonly", video.Direction);
        Assert.Equal(["0"], offer.Bundle);
        var h264 = SdpOffer.H264Formats(video);
        Assert.Contains(h264, f => f is { PayloadType: 102, ProfileLevelId: 0x42001f, PacketizationMode: 1, LevelAsymmetryAllowed: true });
        Assert.Contains(h264, f => f is { ProfileLevelId: 0x4d001f, PacketizationMode: 1 });
    }

    [Theory]
    [InlineData(0x4D401Fu, 0x4d001fu, H264ProfileKind.Main)] // x264 main: Chromium's 4d001f, exact profile
    [InlineData(0x42C01Fu, 0x42e01fu, H264ProfileKind.ConstrainedBaseline)] // x264 baseline (constraint_set0+1): 42e01f
    [InlineData(0x640028u, 0xf4001fu, H264ProfileKind.High444)] // High: Chromium offers no 64, its F4 decoder decodes High
    public void The_streams_profile_picks_the_matching_payload_type(uint stream, uint expectedOffered, H264ProfileKind expectedKind)
    {
        var video = SdpOfferParser.Parse(WebRtcTestOffers.Chromium).Video!;
        var chosen = H264FormatMatcher.Choose(SdpOffer.H264Formats(video), stream, out var answer, out _);
        Assert.NotNull(chosen);
        Assert.Equal(expectedOffered, chosen.ProfileLevelId);
        Assert.Equal(1, chosen.PacketizationMode);
        Assert.Equal(expectedKind, H264FormatMatcher.Classify(answer));
        Assert.Equal(stream & 0xFF, answer & 0xFF);
    }

    [Fact]
    public void No_matching_profile_says_which_profiles_were_offered()
    {
        var video = SdpOfferParser.Parse(WebRtcTestOffers.OnlyProfile("42e01f")).Video!;
        Assert.Null(H264FormatMatcher.Choose(SdpOffer.H264Formats(video), 0x640028, out _, out var reason));
        Assert.Contains("High profile", reason, StringComparison.Ordinal);
        Assert.Contains("42e01f", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_answer_is_ice_lite_passive_sendonly_with_our_format_feedback_ssrc_and_candidates()
    {
        var offer = SdpOfferParser.Parse(WebRtcTestOffers.Chromium);
        var answer = SdpAnswerBuilder.Build(offer, offer.Video!, 116, 0x4d401f, "abcdefgh", "0123456789abcdefghijklmn", "AA:BB", 0x1234, "cam 0", [IPAddress.Parse("192.0.2.7"), IPAddress.Loopback], 8189);
        foreach (var line in new[]
        {
            "a=ice-lite", "a=group:BUNDLE 0", "m=video 8189 UDP/TLS/RTP/SAVPF 116", "a=mid:0", "a=setup:passive", "a=sendonly", "a=rtcp-mux",
            "a=ice-ufrag:abcdefgh", "a=ice-pwd:0123456789abcdefghijklmn", "a=fingerprint:sha-256 AA:BB",
            "a=rtpmap:116 H264/90000", "a=fmtp:116 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=4d401f",
            "a=rtcp-fb:116 nack", "a=rtcp-fb:116 nack pli", "a=rtcp-fb:116 ccm fir", "a=ssrc:4660 cname:camstreamd", "a=ssrc:4660 msid:cam_0 video",
            "a=candidate:1 1 udp 2130706431 192.0.2.7 8189 typ host", "a=candidate:2 1 udp 2130706175 127.0.0.1 8189 typ host", "a=end-of-candidates",
        })
        {
            Assert.Contains(line + "\r\n", answer, StringComparison.Ordinal);
        }

        // The answer parses as SDP itself (one section per offered one).
        Assert.Single(SdpOfferParser.Parse(answer).Media);
    }

    [Theory]
    [InlineData("", "no v=0")]
    [InlineData("hello", "not type=value")]
    [InlineData("v=1\r\n", "must start with v=0")]
    [InlineData("v=0\r\ns=-\r\n", "no m= section")]
    [InlineData("v=0\r\nm=video x UDP 96\r\n", "port")]
    [InlineData("v=0\r\nm=video 9\r\n", "needs media, port")]
    [InlineData("v=0\r\nm=video 9 UDP 96\r\na=fingerprint:sha-256\r\n", "fingerprint")]
    public void Malformed_offers_are_refused_naming_the_problem(string text, string expected)
    {
        var e = Assert.Throws<SdpOfferException>(() => SdpOfferParser.Parse(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
