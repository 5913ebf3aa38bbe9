using CamStreamd.Configuration;

namespace CamStreamd.Tests.Configuration;

public class JsonErrorTranslatorTests
{
    [Theory]
    [InlineData("$", "(root)")]
    [InlineData("$.rtsp", "rtsp")]
    [InlineData("$.rtsp.multicast.ttl", "rtsp.multicast.ttl")]
    [InlineData("$.streams[12].encoder.gop", "streams[12].encoder.gop")]
    [InlineData("$['we ird'].x", "we ird.x")]
    [InlineData("$.rtsp.auth.users[0]['a.b']", "rtsp.auth.users[0].a.b")]
    [InlineData(null, "(root)")]
    public void Stj_paths_become_user_key_paths(string? path, string expected)
    {
        Assert.Equal(expected, JsonErrorTranslator.FormatKey(JsonErrorTranslator.ParsePath(path)));
    }
}
