using System.Buffers;
using System.Net;
using CamStreamd.Media;
using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Tests.Rtsp.Protocol;

public class SdpBuilderTests
{
    // A real x264 SPS (High profile 0x64, constraints 0x00, level 3.0 = 0x1E) and PPS.
    private static readonly byte[] Sps = [0x67, 0x64, 0x00, 0x1E, 0xAC, 0xD9, 0x40, 0xA0, 0x2F, 0xF9, 0x70, 0x11];
    private static readonly byte[] Pps = [0x68, 0xEB, 0xE3, 0xCB, 0x22, 0xC0];

    private static string Build() =>
        SdpBuilder.Build(new StreamDescription(640, 360, 30, Sps, Pps), "cam0", IPAddress.Parse("192.0.2.7"), 42, 7);

    [Fact]
    public void Has_session_level_lines_in_rfc4566_order()
    {
        var lines = Build().Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("v=0", lines[0]);
        Assert.Equal("o=- 42 7 IN IP4 192.0.2.7", lines[1]);
        Assert.Equal("s=cam0", lines[2]);
        Assert.Equal("c=IN IP4 0.0.0.0", lines[3]);
        Assert.Equal("t=0 0", lines[4]);
        Assert.Contains("a=control:*", lines);
        Assert.Contains("a=range:npt=now-", lines);
        var media = Array.IndexOf(lines, "m=video 0 RTP/AVP 96");
        Assert.True(media > 4);
        Assert.Equal("a=control:trackID=0", lines[^1]);
    }

    [Fact]
    public void Fmtp_carries_profile_level_id_and_sprop_parameter_sets()
    {
        var sdp = Build();
        Assert.Contains("a=rtpmap:96 H264/90000\r\n", sdp, StringComparison.Ordinal);
        var fmtp = sdp.Split("\r\n").Single(l => l.StartsWith("a=fmtp:96 ", StringComparison.Ordinal));
        var parameters = fmtp["a=fmtp:96 ".Length..].Split(';').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal("1", parameters["packetization-mode"]);
        Assert.Equal("64001E", parameters["profile-level-id"]);
        var sets = parameters["sprop-parameter-sets"].Split(',');
        Assert.Equal(Sps, Convert.FromBase64String(sets[0]));
        Assert.Equal(Pps, Convert.FromBase64String(sets[1]));
    }

    [Fact]
    public void Advertises_dimensions_and_rate()
    {
        var sdp = Build();
        Assert.Contains("a=framerate:30\r\n", sdp, StringComparison.Ordinal);
        Assert.Contains("a=x-dimensions:640,360\r\n", sdp, StringComparison.Ordinal);
        Assert.Contains("a=framesize:96 640-360\r\n", sdp, StringComparison.Ordinal);
    }

    [Fact]
    public void Response_writer_echoes_cseq_and_counts_body()
    {
        var response = new RtspResponse().Reset(RtspStatus.Ok, 12);
        response.Headers.Add("Content-Type", "application/sdp");
        response.Body = "v=0\r\n"u8.ToArray();
        var output = new ArrayBufferWriter<byte>();
        RtspResponseWriter.Write(output, response, "camstreamd", new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var text = System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
        Assert.Equal(
            "RTSP/1.0 200 OK\r\nCSeq: 12\r\nServer: camstreamd\r\nDate: Tue, 02 Jan 2024 03:04:05 GMT\r\n"
            + "Content-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n",
            text);
    }
}
