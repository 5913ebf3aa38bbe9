using CamStreamd.Rtsp.Protocol;

namespace CamStreamd.Tests.Rtsp.Protocol;

public class RtspUrlTests
{
    [Fact]
    public void Credentials_are_taken_out_of_the_request_url_and_percent_decoded()
    {
        Assert.True(RtspUrl.TryParse("rtsp://ad%40min:p%3Ass@cam.local/live/ch0?x=1", out var url, out _));
        Assert.Equal(("cam.local", 554, "rtsp://cam.local:554/live/ch0?x=1", "ad@min", "p:ss"), (url.Host, url.Port, url.RequestUrl, url.Username, url.Password));
    }

    [Fact]
    public void A_url_without_credentials_keeps_its_port()
    {
        Assert.True(RtspUrl.TryParse("rtsp://127.0.0.1:8554/cam0", out var url, out _));
        Assert.Equal(("127.0.0.1", 8554, "rtsp://127.0.0.1:8554/cam0", null, null), (url.Host, url.Port, url.RequestUrl, url.Username, url.Password));
    }

    [Fact]
    public void Ipv6_hosts_are_bracketed_in_the_request_url()
    {
        Assert.True(RtspUrl.TryParse("rtsp://[::1]:9000/a", out var url, out _));
        Assert.Equal(("::1", "rtsp://[::1]:9000/a"), (url.Host, url.RequestUrl));
    }

    [Theory]
    [InlineData("http://cam/x", "scheme")]
    [InlineData("rtsps://cam/x", "scheme")]
    [InlineData("cam/x", "absolute")]
    public void Other_urls_are_refused(string text, string reasonPart)
    {
        Assert.False(RtspUrl.TryParse(text, out _, out var reason));
        Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rtsp://h/cam/", "trackID=0", "rtsp://h/cam/trackID=0")]
    [InlineData("rtsp://h/cam", "trackID=0", "rtsp://h/cam/trackID=0")]
    [InlineData("rtsp://h/cam", "rtsp://other/x/stream=0", "rtsp://other/x/stream=0")]
    [InlineData("rtsp://h/cam/", "*", "rtsp://h/cam/")]
    [InlineData("rtsp://h/cam/", null, "rtsp://h/cam/")]
    [InlineData("rtsp://h/cam/", "/track1", "rtsp://h/cam/track1")]
    public void Controls_resolve_against_the_base(string baseUrl, string? control, string expected)
    {
        Assert.Equal(expected, RtspUrl.ResolveControl(baseUrl, control));
    }
}
