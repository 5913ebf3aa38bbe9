using CamStreamd.Configuration;

namespace CamStreamd.Tests.Configuration;

/// <summary>One table of bad configurations; each must fail with a message naming the exact key.</summary>
public class ConfigLoaderBadConfigTests
{
    // JSON written with ' for " to keep the table readable. S() is a valid stream whose fields can be overridden.
    private const string S = "{'name':'cam0','source':{'type':'testPattern'}}";

    public static TheoryData<string, string> BadConfigs => new()
    {
        // Unknown keys at every level.
        { "{'rtsp':{'porrt':1}," + Streams() + "}", "rtsp.porrt: unknown key" },
        { "{'rtspp':{}," + Streams() + "}", "rtspp: unknown key" },
        { "{'rtsp':{'multicast':{'enable':true}}," + Streams() + "}", "rtsp.multicast.enable: unknown key" },
        { "{'rtsp':{'auth':{'users':[{'name':'a','password':'b','role':'x'}]}}," + Streams() + "}", "rtsp.auth.users[0].role: unknown key" },
        { "{'http':{'token':'x'}," + Streams() + "}", "http.token: unknown key" },
        { "{'streams':[" + S + ",{'name':'b','source':{'type':'testPattern','fps ':5}}]}", "streams[1].source.fps : unknown key" },
        { "{'streams':[{'name':'a','source':{'type':'testPattern'},'encoder':{'bitrat':1}}]}", "streams[0].encoder.bitrat: unknown key" },
        { "{'streams':[{'name':'a','source':{'type':'testPattern'},'extra':1}]}", "streams[0].extra: unknown key" },
        { "{'gpio':{'phyReset':{'line':1,'pin':2}}," + Streams() + "}", "gpio.phyReset.pin: unknown key" },
        { "{'logging':{'level':'Debug','file':'x'}," + Streams() + "}", "logging.file: unknown key" },
        { "{'we ird':1," + Streams() + "}", "we ird: unknown key" },
        { "{'Rtsp':{}," + Streams() + "}", "Rtsp: unknown key" },

        // webrtc.
        { "{'webrtc':{'prot':1}," + Streams() + "}", "webrtc.prot: unknown key" },
        { "{'webrtc':{'port':70000}," + Streams() + "}", "webrtc.port: must be between 0 and 65535 (got 70000)" },
        { "{'webrtc':{'maxSessions':0}," + Streams() + "}", "webrtc.maxSessions: must be between 1 and 1000 (got 0)" },
        { "{'webrtc':{'additionalHosts':['camera.example.com']}," + Streams() + "}", "webrtc.additionalHosts[0]: must be an IPv4 or IPv6 address" },
        { "{'webrtc':{'allowOrigins':['https://a.example/path']}," + Streams() + "}", "webrtc.allowOrigins[0]: must be \"*\" or an origin" },

        // Duplicate keys.
        { "{'rtsp':{'port':1,'port':2}," + Streams() + "}", "rtsp.port: duplicate key" },

        // Wrong types.
        { "{'rtsp':{'port':'8554'}," + Streams() + "}", "rtsp.port: must be an integer (got \"8554\")" },
        { "{'rtsp':{'port':85.5}," + Streams() + "}", "rtsp.port: must be a whole number" },
        { "{'rtsp':{'port':null}," + Streams() + "}", "rtsp.port: must be an integer (got null)" },
        { "{'rtsp':5," + Streams() + "}", "rtsp: must be an object (got 5)" },
        { "{'streams':{}}", "streams: must be an array (got an object)" },
        { "{'streams':[{'name':'a','source':{'type':'testPattern'},'encoder':{'bitrate':'fast'}}]}", "streams[0].encoder.bitrate: must be an integer (got \"fast\")" },
        { "{'streams':[{'name':'a','source':{'type':'testPattern'},'encoder':{'bitrate':1e20}}]}", "streams[0].encoder.bitrate: must be a whole number" },
        { "{'streams':[{'name':'a','source':{'type':'testPattern','fps':'30'}}]}", "streams[0].source.fps: must be a number (got \"30\")" },
        { "{'streams':[{'name':5,'source':{'type':'testPattern'}}]}", "streams[0].name: must be a string (got 5)" },
        { "{'rtsp':{'multicast':{'enabled':'yes'}}," + Streams() + "}", "rtsp.multicast.enabled: must be true or false (got \"yes\")" },
        { "[]", "(root): must be an object (got an array)" },
        { "null", "(root): must be an object" },

        // Null or missing required things.
        { "{'streams':null}", "streams: at least one stream is required" },
        { "{}", "streams: at least one stream is required" },
        { "{'streams':[]}", "streams: at least one stream is required" },
        { "{'streams':[null]}", "streams[0]: must not be null" },
        { "{'streams':[{'source':{'type':'testPattern'}}]}", "streams[0].name: required" },
        { "{'streams':[{'name':null,'source':{'type':'testPattern'}}]}", "streams[0].name: required" },
        { "{'streams':[{'name':'a'}]}", "streams[0].source.type: required" },
        { "{'streams':[{'name':'a','source':null}]}", "streams[0].source.type: required" },
        { "{'rtsp':{'auth':{'mode':'basic','users':[null]}}," + Streams() + "}", "rtsp.auth.users[0]: must not be null" },
        { "{'gpio':{'phyReset':{'chip':'/dev/gpiochip1'}}," + Streams() + "}", "gpio.phyReset.line: required" },

        // Stream names.
        { "{'streams':[" + S + "," + S + "]}", "streams[1].name: duplicate stream name \"cam0\"" },
        { "{'streams':[" + S + ",{'name':'CAM0','source':{'type':'testPattern'}}]}", "streams[1].name: duplicate stream name \"CAM0\"" },
        { "{'streams':[{'name':'a/b','source':{'type':'testPattern'}}]}", "streams[0].name: must be 1 to 64 characters" },
        { "{'streams':[{'name':'caméra','source':{'type':'testPattern'}}]}", "streams[0].name: must be 1 to 64 characters" },
        { "{'streams':[{'name':'" + new string('a', 65) + "','source':{'type':'testPattern'}}]}", "streams[0].name: must be 1 to 64 characters" },

        // Ranges and enums.
        { "{'rtsp':{'port':65536}," + Streams() + "}", "rtsp.port: must be between 0 and 65535 (got 65536)" },
        { "{'rtsp':{'port':-1}," + Streams() + "}", "rtsp.port: must be between 0 and 65535 (got -1)" },
        { "{'http':{'port':70000}," + Streams() + "}", "http.port: must be between 0 and 65535 (got 70000)" },
        { "{'rtsp':{'maxFrameLength':-1}," + Streams() + "}", "rtsp.maxFrameLength: must be between 0" },
        { "{'rtsp':{'sessionTimeoutSeconds':4}," + Streams() + "}", "rtsp.sessionTimeoutSeconds: must be between 5 and 3600 (got 4)" },
        { "{'rtsp':{'sessionTimeoutSeconds':3601}," + Streams() + "}", "rtsp.sessionTimeoutSeconds: must be between 5 and 3600 (got 3601)" },
        { "{'rtsp':{'maxConnections':0}," + Streams() + "}", "rtsp.maxConnections: must be between 1 and 10000 (got 0)" },
        { "{'rtsp':{'maxConnections':10001}," + Streams() + "}", "rtsp.maxConnections: must be between 1 and 10000 (got 10001)" },
        { "{'rtsp':{'maxConnectionsPerAddress':257}," + Streams() + "}", "rtsp.maxConnectionsPerAddress: must be between 0 and 256 (got 257)" },
        { "{'rtsp':{'maxConnectionsPerAddress':-1}," + Streams() + "}", "rtsp.maxConnectionsPerAddress: must be between 0 and 256 (got -1)" },
        { "{'http':{'maxConnections':1}," + Streams() + "}", "http.maxConnections: must be between 2 and 10000 (got 1)" },
        { "{'http':{'maxConnectionsPerAddress':300}," + Streams() + "}", "http.maxConnectionsPerAddress: must be between 0 and 256 (got 300)" },
        { "{'http':{'maxMjpegViewers':256}," + Streams() + "}", "http.maxMjpegViewers: must be between 1 and 255 (got 256)" },
        { "{'http':{'maxMjpegViewers':0}," + Streams() + "}", "http.maxMjpegViewers: must be between 1 and 255 (got 0)" },
        { "{'rtsp':{'listenAddress':'localhost'}," + Streams() + "}", "rtsp.listenAddress: must be an IPv4 or IPv6 address" },
        { "{'rtsp':{'listenAddress':'1'}," + Streams() + "}", "rtsp.listenAddress: must be an IPv4 or IPv6 address" },
        { "{'http':{'listenAddress':'0.0.0.256'}," + Streams() + "}", "http.listenAddress: must be an IPv4 or IPv6 address" },
        { "{'http':{'apiToken':''}," + Streams() + "}", "http.apiToken: must not be empty" },
        { "{'rtsp':{'multicast':{'addressRange':'10.0.0.0/8'}}," + Streams() + "}", "rtsp.multicast.addressRange: must be an IPv4 CIDR range inside 224.0.0.0/4" },
        { "{'rtsp':{'multicast':{'addressRange':'224.0.0.0/3'}}," + Streams() + "}", "rtsp.multicast.addressRange:" },
        { "{'rtsp':{'multicast':{'addressRange':'239.255.42.0'}}," + Streams() + "}", "rtsp.multicast.addressRange:" },
        { "{'rtsp':{'multicast':{'addressRange':'ff02::/16'}}," + Streams() + "}", "rtsp.multicast.addressRange:" },
        { "{'rtsp':{'multicast':{'ttl':0}}," + Streams() + "}", "rtsp.multicast.ttl: must be between 1 and 255 (got 0)" },
        { "{'rtsp':{'multicast':{'ttl':256}}," + Streams() + "}", "rtsp.multicast.ttl: must be between 1 and 255 (got 256)" },
        { "{'rtsp':{'auth':{'mode':'ntlm'}}," + Streams() + "}", "rtsp.auth.mode: must be one of none, basic, digest (got \"ntlm\")" },
        { "{'rtsp':{'auth':{'mode':'basic'}}," + Streams() + "}", "rtsp.auth.users: at least one user is required" },
        { "{'rtsp':{'auth':{'mode':'digest','users':[{'name':'a:b','password':'x'}]}}," + Streams() + "}", "rtsp.auth.users[0].name: required, without ':'" },
        { "{'rtsp':{'auth':{'mode':'digest','users':[{'name':'a','password':''}]}}," + Streams() + "}", "rtsp.auth.users[0].password: required" },
        { "{'rtsp':{'auth':{'mode':'basic','users':[{'name':'a','password':'x'},{'name':'a','password':'y'}]}}," + Streams() + "}", "rtsp.auth.users[1].name: duplicate user" },
        { "{'rtsp':{'auth':{'realm':'a\\\"b'}}," + Streams() + "}", "rtsp.auth.realm: must be non-empty printable ASCII" },
        { Stream("'source':{'type':'camera'}"), "streams[0].source.type: must be one of v4l2, testPattern, rtsp, composite (got \"camera\")" },
        { Stream("'source':{'type':'testPattern','width':-2}"), "streams[0].source.width: must be a positive even number of pixels, at most 8192 (got -2)" },
        { Stream("'source':{'type':'testPattern','width':641}"), "streams[0].source.width: must be a positive even number of pixels, at most 8192 (got 641)" },
        { Stream("'source':{'type':'testPattern','height':0}"), "streams[0].source.height: must be a positive even" },
        { Stream("'source':{'type':'testPattern','height':8194}"), "streams[0].source.height: must be a positive even" },
        { Stream("'source':{'type':'testPattern','fps':0.5}"), "streams[0].source.fps: must be between 1 and 240 (got 0.5)" },
        { Stream("'source':{'type':'testPattern','fps':241}"), "streams[0].source.fps: must be between 1 and 240 (got 241)" },
        { Stream("'source':{'type':'testPattern','format':'rgb24'}"), "streams[0].source.format: must be one of auto, yuyv, nv12, yuv420, mjpeg, h264 (got \"rgb24\")" },
        { Stream("'source':{'type':'v4l2','device':'video0'}"), "streams[0].source.device: must be a device path under /dev/" },
        { Stream("'source':{'type':'rtsp'}"), "streams[0].source.url: must be an rtsp:// or rtsps:// URL (got null)" },
        { Stream("'source':{'type':'rtsp','url':'http://x/y'}"), "streams[0].source.url: must be an rtsp:// or rtsps:// URL" },
        { Stream("'source':{'type':'rtsp','url':'rtsp://h/x','transport':'sctp'}"), "streams[0].source.transport: must be one of tcp, udp (got \"sctp\")" },
        { Stream("'source':{'type':'rtsp','url':'ftp://u:secret@h/x'}"), "streams[0].source.url: must be an rtsp:// or rtsps:// URL (got \"ftp://u:***@h/x\")" },
        { Stream("'source':{'type':'rtsp','url':'rtsps://h/x'}"), "streams[0].source.url: rtsps:// (RTSP over TLS) is not supported for pulling yet" },
        { Stream("'source':{'type':'rtsp','url':'rtsp://h/x'},'encoder':{'engine':'x264'}"), "streams[0].encoder.engine: a pulled stream (source.type \"rtsp\") is relayed without re-encoding; use \"auto\" or \"passthrough\" (got \"x264\")" },
        { Stream("'source':{'type':'testPattern'},'encoder':{'engine':'nvenc'}"), "streams[0].encoder.engine: must be one of auto, rkmpp, v4l2m2m, vaapi, x264, passthrough (got \"nvenc\")" },
        { Stream("'source':{'type':'testPattern'},'encoder':{'bitrate':-5}"), "streams[0].encoder.bitrate: must be between 10000 and 100000000 (got -5)" },
        { Stream("'source':{'type':'testPattern'},'encoder':{'bitrate':9999}"), "streams[0].encoder.bitrate: must be between 10000 and 100000000 (got 9999)" },
        { Stream("'source':{'type':'testPattern'},'encoder':{'bitrate':100000001}"), "streams[0].encoder.bitrate: must be between 10000 and 100000000 (got 100000001)" },
        { Stream("'source':{'type':'testPattern'},'encoder':{'gop':0}"), "streams[0].encoder.gop: must be between 1 and 1000 (got 0)" },
        { Stream("'source':{'type':'testPattern'},'encoder':{'gop':1001}"), "streams[0].encoder.gop: must be between 1 and 1000 (got 1001)" },
        { Stream("'source':{'type':'testPattern'},'encoder':{'profile':'high10'}"), "streams[0].encoder.profile: must be one of baseline, main, high (got \"high10\")" },
        { "{'gpio':{'phyReset':{'line':-1}}," + Streams() + "}", "gpio.phyReset.line: must be between 0 and 65535 (got -1)" },
        { "{'gpio':{'phyReset':{'line':1,'chip':'gpiochip0'}}," + Streams() + "}", "gpio.phyReset.chip: must be a device path under /dev/" },
        { "{'gpio':{'phyReset':{'line':1,'assertMs':0}}," + Streams() + "}", "gpio.phyReset.assertMs: must be between 1 and 10000 (got 0)" },
        { "{'logging':{'level':'Trace'}," + Streams() + "}", "logging.level: must be one of Verbose, Debug, Information, Warning, Error, Fatal (got \"Trace\")" },
        { "{'logging':{'level':null}," + Streams() + "}", "logging.level: must be one of" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void Bad_config_is_rejected_naming_the_key(string json, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json.Replace('\'', '"')));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(e.Errors, error => error.Contains(expected, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{'rtsp':{'port':1}\n 'x':2}", "line 2, column 2")]
    [InlineData("{'rtsp':\n  {'port':}}", "line 2, column 11")]
    [InlineData("", "line 1, column 1")]
    [InlineData("{'streams':[]", "invalid JSON at line 1")]
    [InlineData("{'a':1} {'b':2}", "invalid JSON at line 1, column 9")]
    public void Malformed_json_names_line_and_column(string json, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json.Replace('\'', '"'), "/etc/camstreamd.json"));
        Assert.StartsWith("/etc/camstreamd.json: invalid JSON at ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_key_lists_the_known_keys_of_its_object()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{\"rtsp\":{\"multicast\":{\"ttll\":1}}}"));
        Assert.Equal("rtsp.multicast.ttll: unknown key (known keys: enabled, addressRange, ttl)", e.Message);
    }

    [Fact]
    public void Every_value_error_is_reported_not_just_the_first()
    {
        var json = "{'rtsp':{'port':-1,'sessionTimeoutSeconds':1},'streams':[{'name':'a','source':{'type':'testPattern','width':3}}]}";
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json.Replace('\'', '"')));
        Assert.Equal(3, e.Errors.Count);
        Assert.StartsWith("rtsp.port:", e.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("rtsp.sessionTimeoutSeconds:", e.Errors[1], StringComparison.Ordinal);
        Assert.StartsWith("streams[0].source.width:", e.Errors[2], StringComparison.Ordinal);
    }

    private static string Streams() => "'streams':[" + S + "]";

    private static string Stream(string body) => "{'streams':[{'name':'cam0'," + body + "}]}";
}
