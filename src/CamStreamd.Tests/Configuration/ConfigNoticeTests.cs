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
    public void Every_source_type_including_composite_is_supported_and_gets_no_notice()
    {
        var json = """
            {
              "rtsp": { "multicast": { "enabled": true }, "auth": { "mode": "digest", "users": [ { "name": "u", "password": "p" } ] } },
              "http": { },
              "gpio": { "phyReset": { "line": 3 } },
              "streams": [
                { "name": "cam", "source": { "type": "v4l2", "device": "/dev/video2", "width": 640, "height": 480, "fps": 15 }, "encoder": { "engine": "rkmpp" } },
                { "name": "pull", "source": { "type": "rtsp", "url": "rtsp://127.0.0.1/x" }, "encoder": { "engine": "passthrough" } },
                { "name": "mix", "source": { "type": "composite", "layout": "grid", "inputs": [ { "stream": "tp" } ] }, "encoder": { "engine": "vaapi" } },
                { "name": "tp", "source": { "type": "testPattern" }, "encoder": { "engine": "v4l2m2m" } }
              ]
            }
            """;

        var notices = ConfigLoader.Parse(json).Notices;

        // Pulling (rtsp) and composites are supported now: every source type of the schema is.
        Assert.Empty(notices);
    }

    [Fact]
    public void Multicast_and_authentication_are_supported_and_get_no_notice()
    {
        var result = ConfigLoader.Parse("""
            { "rtsp": { "multicast": { "enabled": true }, "auth": { "mode": "basic", "users": [ { "name": "u", "password": "p" } ] } },
              "streams": [ { "name": "a", "source": { "type": "testPattern" }, "encoder": { "engine": "x264" } } ] }
            """);
        Assert.Empty(result.Notices);
    }

    [Fact]
    public void The_http_section_is_supported_and_gets_no_notice()
    {
        var with = ConfigLoader.Parse("""{ "http": { "port": 0, "mjpeg": { "fps": 5 } }, "streams": [ { "name": "a", "source": { "type": "testPattern" }, "encoder": { "engine": "x264" } } ] }""");
        Assert.Empty(with.Notices);
        Assert.Equal(5, with.Options.Http.Mjpeg.Fps);
    }

    [Fact]
    public void Bad_mjpeg_settings_name_their_keys()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("""{ "http": { "mjpeg": { "fps": 0, "quality": 101 } }, "streams": [ { "name": "a", "source": { "type": "testPattern" } } ] }"""));
        Assert.Equal(["http.mjpeg.fps: must be between 1 and 60 (got 0)", "http.mjpeg.quality: must be between 1 and 100 (got 101)"], error.Errors);
    }
}
