using CamStreamd.Configuration;

namespace CamStreamd.Tests.Configuration;

public class ConfigRedactorTests
{
    [Theory]
    [InlineData("rtsp://u:pw@h:554/x", "rtsp://u:***@h:554/x")]
    [InlineData("rtsp://u:p@w@h/x@y", "rtsp://u:***@h/x@y")]
    [InlineData("rtsp://u@h/x", "rtsp://u@h/x")]
    [InlineData("rtsp://h:554/x", "rtsp://h:554/x")]
    [InlineData("rtsp://", "rtsp://")]
    [InlineData("nonsense", "nonsense")]
    [InlineData(null, null)]
    public void Url_password_is_masked(string? url, string? expected)
    {
        Assert.Equal(expected, ConfigRedactor.RedactUrl(url));
    }
}
