using CamStreamd.Configuration;

namespace CamStreamd.Tests.Configuration;

public class ConfigLoaderTests
{
    private const string Minimal = """{ "streams": [ { "name": "cam0", "source": { "type": "testPattern" } } ] }""";

    // The example of ARCHITECTURE.md, verbatim but for the password.
    private const string Full = """
        {
          "rtsp":  { "listenAddress": "0.0.0.0", "port": 8554, "maxFrameLength": 0,
                     "sessionTimeoutSeconds": 60,
                     "multicast": { "enabled": false, "addressRange": "239.255.42.0/24", "ttl": 16 },
                     "auth": { "mode": "none", "realm": "camstreamd", "users": [ { "name": "viewer", "password": "secret1" } ] } },
          "http":  { "listenAddress": "0.0.0.0", "port": 8080, "apiToken": null },
          "streams": [
            { "name": "cam0",
              "source":  { "type": "v4l2", "device": "/dev/video0", "width": 1280, "height": 720, "fps": 30, "format": "auto" },
              "encoder": { "engine": "auto", "bitrate": 3000000, "gop": 60, "profile": "main" } }
          ],
          "gpio":    { "phyReset": { "chip": "/dev/gpiochip0", "line": 51, "activeLow": true, "assertMs": 10, "settleMs": 100 } },
          "logging": { "level": "Information" }
        }
        """;

    [Fact]
    public void Minimal_config_gets_the_documented_defaults()
    {
        var options = ConfigLoader.Parse(Minimal).Options;

        Assert.Equal("0.0.0.0", options.Rtsp.ListenAddress);
        Assert.Equal(8554, options.Rtsp.Port);
        Assert.Equal(0, options.Rtsp.MaxFrameLength);
        Assert.Equal(60, options.Rtsp.SessionTimeoutSeconds);
        Assert.False(options.Rtsp.Multicast.Enabled);
        Assert.Equal("239.255.42.0/24", options.Rtsp.Multicast.AddressRange);
        Assert.Equal(16, options.Rtsp.Multicast.Ttl);
        Assert.Equal("none", options.Rtsp.Auth.Mode);
        Assert.Equal("camstreamd", options.Rtsp.Auth.Realm);
        Assert.Empty(options.Rtsp.Auth.Users);
        Assert.Equal("0.0.0.0", options.Http.ListenAddress);
        Assert.Equal(8080, options.Http.Port);
        Assert.Null(options.Http.ApiToken);
        Assert.Null(options.Gpio.PhyReset);
        Assert.Equal("Information", options.Logging.Level);

        var stream = Assert.Single(options.Streams);
        Assert.Equal("cam0", stream.Name);
        Assert.Equal("/dev/video0", stream.Source.Device);
        Assert.Equal((1280, 720, 30.0, "auto", "tcp"), (stream.Source.Width, stream.Source.Height, stream.Source.Fps, stream.Source.Format, stream.Source.Transport));
        Assert.Null(stream.Source.Url);
        Assert.Equal(("auto", 3_000_000, 60, "main"), (stream.Encoder.Engine, stream.Encoder.Bitrate, stream.Encoder.Gop, stream.Encoder.Profile));
    }

    [Fact]
    public void Architecture_example_parses_with_every_value()
    {
        var options = ConfigLoader.Parse(Full).Options;

        Assert.Equal("viewer", Assert.Single(options.Rtsp.Auth.Users).Name);
        Assert.Equal("secret1", options.Rtsp.Auth.Users[0].Password);
        var reset = Assert.IsType<PhyResetOptions>(options.Gpio.PhyReset);
        Assert.Equal(("/dev/gpiochip0", 51, true, 10, 100), (reset.Chip, reset.Line, reset.ActiveLow, reset.AssertMs, reset.SettleMs));
        Assert.Equal("v4l2", options.Streams[0].Source.Type);
    }

    [Fact]
    public void Comments_trailing_commas_bom_and_port_zero_are_accepted()
    {
        var json = "\uFEFF{ // hand edited\n \"rtsp\": { \"port\": 0, /* pick one */ },\n " + Minimal[1..^1] + ", }";
        var options = ConfigLoader.Parse(json).Options;
        Assert.Equal(0, options.Rtsp.Port);
    }

    [Fact]
    public void A_null_section_means_its_defaults()
    {
        var json = """{ "rtsp": null, "http": null, "gpio": null, "logging": null, "streams": [ { "name": "a", "source": { "type": "testPattern" }, "encoder": null } ] }""";
        var options = ConfigLoader.Parse(json).Options;
        Assert.Equal(new RtspOptions(), options.Rtsp with { Multicast = new(), Auth = new() });
        Assert.Equal(8554, options.Rtsp.Port);
        Assert.Equal(new HttpOptions(), options.Http);
        Assert.Equal(new EncoderOptions(), options.Streams[0].Encoder);
        Assert.Equal("Information", options.Logging.Level);
    }

    [Theory]
    [InlineData("debug")]
    [InlineData("WARNING")]
    [InlineData("Verbose")]
    public void Log_level_is_case_insensitive(string level)
    {
        var json = Minimal.Replace("{ \"streams\"", "{ \"logging\": { \"level\": \"" + level + "\" }, \"streams\"", StringComparison.Ordinal);
        Assert.Equal(level, ConfigLoader.Parse(json).Options.Logging.Level);
    }

    [Theory]
    [InlineData(0, 1280, 720, 921_600)]
    [InlineData(0, 640, 480, 307_200)]
    [InlineData(500_000, 1280, 720, 500_000)]
    public void Effective_max_frame_length_is_width_times_height_when_zero(int configured, int width, int height, int expected)
    {
        var rtsp = new RtspOptions { MaxFrameLength = configured };
        var stream = new StreamOptions { Name = "a", Source = new SourceOptions { Type = SourceTypes.TestPattern, Width = width, Height = height } };
        Assert.Equal(expected, rtsp.EffectiveMaxFrameLength(stream));
    }

    [Fact]
    public void Printed_json_reads_back_to_the_same_configuration()
    {
        var first = ConfigLoader.Parse(Full).Options;
        var json = ConfigLoader.ToJson(first, redact: false);
        var second = ConfigLoader.Parse(json).Options;
        Assert.Equal(json, ConfigLoader.ToJson(second, redact: false));
        Assert.Contains("\"sessionTimeoutSeconds\": 60", json, StringComparison.Ordinal);
        Assert.Contains("\n  \"rtsp\": {", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Redacted_json_masks_every_secret_and_keeps_the_rest()
    {
        var options = ConfigLoader.Parse(Full).Options with
        {
            Http = new HttpOptions { ApiToken = "token-xyz" },
        };
        options = options with
        {
            Streams =
            [
                .. options.Streams,
                new StreamOptions
                {
                    Name = "pull",
                    Source = new SourceOptions { Type = SourceTypes.Rtsp, Url = "rtsp://bob:p@ss-url@cam.local:554/live", Username = "bob", Password = "pw-src" },
                },
            ],
        };

        var json = ConfigLoader.ToJson(options);

        foreach (var secret in new[] { "secret1", "token-xyz", "pw-src", "p@ss-url", "ss-url" })
        {
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
        }

        Assert.Contains("\"password\": \"***\"", json, StringComparison.Ordinal);
        Assert.Contains("\"apiToken\": \"***\"", json, StringComparison.Ordinal);
        Assert.Contains("rtsp://bob:***@cam.local:554/live", json, StringComparison.Ordinal);
        Assert.Contains("\"name\": \"viewer\"", json, StringComparison.Ordinal);
        Assert.Contains("\"password\": null", ConfigLoader.ToJson(ConfigLoader.Parse(Minimal).Options), StringComparison.Ordinal);
        Assert.Equal("secret1", options.Rtsp.Auth.Users[0].Password);
    }

    [Theory]
    [InlineData(true, "v4l2")]
    [InlineData(false, "testPattern")]
    public void Without_a_file_the_embedded_default_runs_cam0(bool videoDeviceExists, string expectedType)
    {
        var asked = new List<string>();
        var result = ConfigLoader.Load(null, path =>
        {
            asked.Add(path);
            return path == ConfigLoader.DefaultVideoDevice && videoDeviceExists;
        });

        Assert.Equal([ConfigLoader.DefaultPath, ConfigLoader.DefaultVideoDevice], asked);
        Assert.Equal(ConfigLoader.EmbeddedDefaultSource, result.Source);
        var stream = Assert.Single(result.Options.Streams);
        Assert.Equal(("cam0", expectedType, "/dev/video0", 1280, 720, 30.0), (stream.Name, stream.Source.Type, stream.Source.Device, stream.Source.Width, stream.Source.Height, stream.Source.Fps));
        Assert.Equal("auto", stream.Encoder.Engine);
        Assert.Empty(ConfigValidator.Validate(result.Options));
        Assert.Empty(result.Notices); // both the camera and the test pattern are supported
    }

    [Fact]
    public void Without_a_path_the_default_file_is_read_when_it_exists()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Minimal.Replace("cam0", "fromfile", StringComparison.Ordinal));
            var result = ConfigLoader.Load(null, p => p == path, defaultPath: path);
            Assert.Equal(path, result.Source);
            Assert.Equal("fromfile", result.Options.Streams[0].Name);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_explicit_path_that_does_not_exist_is_an_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "camstreamd-missing-" + Guid.NewGuid().ToString("N") + ".json");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));
        Assert.Equal($"{path}: config file not found", e.Message);
    }

    [Fact]
    public void A_bad_file_names_the_file_in_syntax_errors()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "{\n  \"rtsp\": {\n");
            var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path));
            Assert.StartsWith($"{path}: invalid JSON at line 3", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
