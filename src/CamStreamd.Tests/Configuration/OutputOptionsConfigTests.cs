using CamStreamd.Configuration;

namespace CamStreamd.Tests.Configuration;

/// <summary><c>streams[].publish</c> and <c>streams[].record</c>: defaults, value equality, redaction, and one bad value per key.</summary>
public sealed class OutputOptionsConfigTests
{
    public static TheoryData<string, string> BadOutputs => new()
    {
        { "'publish':[{'url':'http://h/x'}]", "streams[0].publish[0].url: unsupported scheme \"http\"; use rtsp://, rtsps://, rtmp:// or srt://" },
        { "'publish':[{'url':'ftp://u:secret@h/x'}]", "(got \"ftp://u:***@h/x\")" },
        { "'publish':[{'url':'not a url'}]", "streams[0].publish[0].url: must be an absolute URL with a host" },
        { "'publish':[{}]", "streams[0].publish[0].url: required" },
        { "'publish':[{'url':'rtsp://h/x','transport':'sctp'}]", "streams[0].publish[0].transport: must be one of tcp, udp (got \"sctp\")" },
        { "'publish':[{'url':'rtmp://h/live/x','transport':'udp'}]", "streams[0].publish[0].transport: only for rtsp:// targets" },
        { "'publish':[{'url':'rtsp://h/x'},{'url':'rtsp://h/x'}]", "streams[0].publish[1].url: duplicate target (same as streams[0].publish[0].url)" },
        { "'publish':[{'url':'rtsp://h/x','password':'p'}]", "streams[0].publish[0].password: given without a username" },
        { "'publish':[{'url':'rtsp://h/x','username':'a:b'}]", "streams[0].publish[0].username: must be non-empty, without ':'" },
        { "'publish':[{'url':'rtsp://h/x','token':'p'}]", "streams[0].publish[0].token: unknown key" },
        { "'publish':[null]", "streams[0].publish[0]: must not be null" },
        { "'publish':{'url':'rtsp://h/x'}", "streams[0].publish" },
        { "'record':{'path':'recordings'}", "streams[0].record.path: must be an absolute directory path (got \"recordings\")" },
        { "'record':{'segmentSeconds':0}", "streams[0].record.segmentSeconds: must be between 1 and 86400 (got 0)" },
        { "'record':{'partSeconds':0.01}", "streams[0].record.partSeconds: must be between 0.1 and 60 (got 0.01)" },
        { "'record':{'segmentSeconds':2,'partSeconds':3}", "streams[0].record.partSeconds: must not exceed segmentSeconds (2) (got 3)" },
        { "'record':{'retentionSeconds':-1}", "streams[0].record.retentionSeconds: must be between 0 (keep everything) and 315360000 (got -1)" },
        { "'record':{'segmentSeconds':60,'retentionSeconds':30}", "streams[0].record.retentionSeconds: must be 0 or at least segmentSeconds (60) (got 30)" },
        { "'record':{'minFreeMegabytes':-5}", "streams[0].record.minFreeMegabytes: must be between 0 and 1048576 (got -5)" },
        { "'record':{'segmentSecond':5}", "streams[0].record.segmentSecond: unknown key" },
    };

    [Theory]
    [MemberData(nameof(BadOutputs))]
    public void Bad_publish_or_record_value_is_rejected_naming_the_key(string body, string expected)
    {
        var json = ("{'streams':[{'name':'cam0','source':{'type':'testPattern'}," + body + "}]}").Replace('\'', '"');
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Defaults_and_every_scheme_are_accepted()
    {
        var json = """
            {"streams":[{"name":"cam0","source":{"type":"testPattern"},
              "publish":[{"url":"rtsp://u:p@127.0.0.1:8554/up"},{"url":"rtsp://h/x","transport":"udp","username":"a","password":"b"},
                         {"url":"rtmp://127.0.0.1/live/cam0"},{"url":"srt://127.0.0.1:9000?streamid=publish:cam0"},{"url":"rtsps://h:322/x"}],
              "record":{}}]}
            """;
        var stream = ConfigLoader.Parse(json).Options.Streams[0];
        Assert.Equal(5, stream.Publish!.Count);
        Assert.Equal("tcp", stream.Publish[0].Transport);
        Assert.Equal("udp", stream.Publish[1].Transport);
        Assert.Equal(new RecordOptions("/var/lib/camstreamd/recordings", 60, 1, 0, 256), stream.Record);
    }

    [Fact]
    public void A_stream_without_outputs_has_none_and_prints_none()
    {
        var options = ConfigLoader.Parse("""{"streams":[{"name":"cam0","source":{"type":"testPattern"}}]}""").Options;
        Assert.Null(options.Streams[0].Publish);
        Assert.Null(options.Streams[0].Record);
        var printed = ConfigLoader.ToJson(options);
        Assert.DoesNotContain("publish", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("record", printed, StringComparison.Ordinal);
    }

    [Fact]
    public void Equal_settings_loaded_twice_are_equal_so_a_reload_keeps_the_stream()
    {
        const string Json = """{"streams":[{"name":"cam0","source":{"type":"testPattern"},"publish":[{"url":"rtsp://h/x"}],"record":{"segmentSeconds":10}}]}""";
        var a = ConfigLoader.Parse(Json).Options.Streams[0];
        var b = ConfigLoader.Parse(Json).Options.Streams[0];
        Assert.Equal(a, b);
        var c = ConfigLoader.Parse(Json.Replace("rtsp://h/x", "rtsp://h/y", StringComparison.Ordinal)).Options.Streams[0];
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Check_config_masks_publish_credentials()
    {
        var options = ConfigLoader.Parse("""{"streams":[{"name":"cam0","source":{"type":"testPattern"},"publish":[{"url":"rtmp://u:urlsecret@h/live/x"},{"url":"rtsp://h/x","username":"a","password":"fieldsecret"}]}]}""").Options;
        var printed = ConfigLoader.ToJson(options);
        Assert.DoesNotContain("urlsecret", printed, StringComparison.Ordinal);
        Assert.DoesNotContain("fieldsecret", printed, StringComparison.Ordinal);
        Assert.Contains("rtmp://u:***@h/live/x", printed, StringComparison.Ordinal);
    }
}
