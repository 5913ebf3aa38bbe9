using CamStreamd.Configuration;
using CamStreamd.Hosting;

namespace CamStreamd.Tests.Hosting;

public class ConfigCheckTests
{
    [Fact]
    public void Valid_config_prints_only_json_on_output_and_notices_on_error()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var path = Path.Combine(Path.GetTempPath(), $"camstreamd-check-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{ "streams": [ { "name": "mix", "source": { "type": "composite", "layout": "grid", "inputs": [ { "url": "rtsp://127.0.0.1:9/x" } ] } } ] }""");
        try
        {
            var code = ConfigCheck.Run(path, output, error);

            Assert.Equal(ExitCodes.Ok, code);
            var reread = ConfigLoader.Parse(output.ToString());
            Assert.Equal("composite", reread.Options.Streams[0].Source.Type);
            Assert.Equal("rtsp://127.0.0.1:9/x", reread.Options.Streams[0].Source.Inputs![0].Url);
            Assert.DoesNotContain("notice:", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_embedded_default_uses_the_camera_when_it_exists()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = ConfigCheck.Run(null, output, error, path => path == ConfigLoader.DefaultVideoDevice);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("v4l2", ConfigLoader.Parse(output.ToString()).Options.Streams[0].Source.Type);
        Assert.DoesNotContain("notice:", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_explicit_file_exits_78_naming_it()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var code = ConfigCheck.Run("/nonexistent/camstreamd.json", output, error);

        Assert.Equal(ExitCodes.Config, code);
        Assert.Equal("", output.ToString());
        Assert.Equal("config error: /nonexistent/camstreamd.json: config file not found", error.ToString().TrimEnd());
    }
}
