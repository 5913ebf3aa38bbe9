using CamStreamd.Configuration;

namespace CamStreamd.Tests.Configuration;

public class ConfigNoticeTests
{
    [Fact]
    public void A_plain_test_pattern_config_has_no_notices()
    {
        var result = ConfigLoader.Parse("""{ "streams": [ { "name": "a", "source": { "type": "testPattern" }, "encoder": { "engine": "x264" } } ] }""");
        Assert.Empty(result.Notices);
    }

    [Fact]
    public void Each_unsupported_setting_gets_one_notice_naming_its_key()
    {
        var json = """
            {
              "rtsp": { "multicast": { "enabled": true }, "auth": { "mode": "digest", "users": [ { "name": "u", "password": "p" } ] } },
              "http": { },
              "gpio": { "phyReset": { "line": 3 } },
              "streams": [
                { "name": "cam", "source": { "type": "v4l2", "device": "/dev/video2", "width": 640, "height": 480, "fps": 15 }, "encoder": { "engine": "rkmpp" } },
                { "name": "pull", "source": { "type": "rtsp", "url": "rtsp://127.0.0.1/x" }, "encoder": { "engine": "passthrough" } },
                { "name": "mix", "source": { "type": "composite" }, "encoder": { "engine": "vaapi" } },
                { "name": "tp", "source": { "type": "testPattern" }, "encoder": { "engine": "v4l2m2m" } }
              ]
            }
            """;

        var notices = ConfigLoader.Parse(json).Notices;

        Assert.Equal(
            [
                "rtsp.multicast.enabled", "rtsp.auth.mode", "http", "gpio.phyReset",
                "streams[0].encoder.engine",
                "streams[1].source.type", "streams[1].encoder.engine",
                "streams[2].source.type", "streams[2].encoder.engine",
                "streams[3].encoder.engine",
            ],
            notices.Select(n => n.Key));
        var pull = notices.Single(n => n.Key == "streams[1].source.type").ToString();
        Assert.Contains("test pattern (1280x720 at 30 fps)", pull, StringComparison.Ordinal);
        Assert.StartsWith("streams[1].source.type: ", pull, StringComparison.Ordinal);
        Assert.Contains("x264", notices.Single(n => n.Key == "streams[0].encoder.engine").Message, StringComparison.Ordinal);
        Assert.Contains("\"rkmpp\"", notices.Single(n => n.Key == "streams[0].encoder.engine").Message, StringComparison.Ordinal);
        Assert.Contains("\"rtsp\"", notices.Single(n => n.Key == "streams[1].source.type").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Http_notice_only_when_the_section_is_present()
    {
        var without = ConfigLoader.Parse("""{ "streams": [ { "name": "a", "source": { "type": "testPattern" } } ] }""");
        var with = ConfigLoader.Parse("""{ "http": { "port": 0 }, "streams": [ { "name": "a", "source": { "type": "testPattern" } } ] }""");
        Assert.DoesNotContain(without.Notices, n => n.Key == "http");
        Assert.Contains(with.Notices, n => n.Key == "http");
    }
}
