using System.Net;
using CamStreamd.Media;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Tests.Rtsp.Protocol;

public class SdpParserTests
{
    // As gst-rtsp-server 1.22 describes a videotestsrc ! openh264enc ! rtph264pay pipeline.
    private const string GstSdp =
        "v=0\r\no=- 1188340656180883 1 IN IP4 127.0.0.1\r\ns=Session streamed with GStreamer\r\ni=rtsp-server\r\nt=0 0\r\n" +
        "a=tool:GStreamer\r\na=type:broadcast\r\na=range:npt=now-\r\na=control:rtsp://127.0.0.1:8554/cam\r\n" +
        "m=video 0 RTP/AVP 96\r\nc=IN IP4 0.0.0.0\r\na=rtpmap:96 H264/90000\r\na=framerate:30\r\n" +
        "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LAH4yNQKD5AeEQjUA=,aM48gA==;profile-level-id=42c01f;level-asymmetry-allowed=1\r\n" +
        "a=control:rtsp://127.0.0.1:8554/cam/stream=0\r\na=ts-refclk:local\r\na=mediaclk:sender\r\n";

    [Fact]
    public void A_gstreamer_description_gives_the_track()
    {
        Assert.True(SdpParser.TryParseH264(GstSdp, out var track, out var reason), reason);
        Assert.Equal((96, 90000, 1), (track.PayloadType, track.ClockRate, track.PacketizationMode));
        Assert.Equal("rtsp://127.0.0.1:8554/cam/stream=0", track.Control);
        Assert.Equal("rtsp://127.0.0.1:8554/cam", track.SessionControl);
        Assert.Equal(Convert.FromBase64String("Z0LAH4yNQKD5AeEQjUA="), track.Sps);
        Assert.Equal(Convert.FromBase64String("aM48gA=="), track.Pps);
    }

    [Fact]
    public void Our_own_description_round_trips()
    {
        byte[] sps = [0x67, 0x4D, 0x00, 0x1F, 0x9A, 0x66];
        byte[] pps = [0x68, 0xEE, 0x3C, 0x80];
        var sdp = SdpBuilder.Build(new StreamDescription(640, 360, 30, sps, pps), "cam0", IPAddress.Loopback, 1, 1);
        Assert.True(SdpParser.TryParseH264(sdp, out var track, out _));
        Assert.Equal((SdpBuilder.PayloadType, AccessUnit.ClockRate, SdpBuilder.TrackControl, "*"), (track.PayloadType, track.ClockRate, track.Control, track.SessionControl));
        Assert.Equal(sps, track.Sps);
        Assert.Equal(pps, track.Pps);
    }

    [Fact]
    public void Audio_before_video_and_a_second_payload_type_are_skipped()
    {
        var sdp = "v=0\r\ns=x\r\nm=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=control:track1\r\n" +
                  "m=video 0 RTP/AVP 26 97\r\na=rtpmap:26 JPEG/90000\r\na=rtpmap:97 H264/90000\r\na=control:track2\r\n";
        Assert.True(SdpParser.TryParseH264(sdp, out var track, out _));
        Assert.Equal((97, "track2", 0), (track.PayloadType, track.Control, track.PacketizationMode));
        Assert.Empty(track.Sps);
    }

    [Theory]
    [InlineData("v=0\r\nm=audio 0 RTP/AVP 0\r\n", "no video")]
    [InlineData("v=0\r\nm=video 0 RTP/AVP 26\r\na=rtpmap:26 JPEG/90000\r\n", "not H.264")]
    [InlineData("v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=2\r\n", "not H.264")]
    [InlineData("v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:97 H264/90000\r\n", "not H.264")]
    [InlineData("", "no video")]
    public void Descriptions_without_a_usable_track_say_why(string sdp, string reasonPart)
    {
        Assert.False(SdpParser.TryParseH264(sdp, out _, out var reason));
        Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_base64_parameter_sets_are_ignored()
    {
        var sdp = "v=0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 sprop-parameter-sets=!!!,aM48gA==\r\n";
        Assert.True(SdpParser.TryParseH264(sdp, out var track, out _));
        Assert.Empty(track.Sps);
        Assert.Equal(Convert.FromBase64String("aM48gA=="), track.Pps);
    }
}
