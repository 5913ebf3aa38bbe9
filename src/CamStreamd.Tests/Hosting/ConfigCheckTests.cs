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

        var code = ConfigCheck.Run(null, output, error, path => path == ConfigLoader.DefaultVideoDevice);

        Assert.Equal(ExitCodes.Ok, code);
        var reread = ConfigLoader.Parse(output.ToString());
        Assert.Equal("v4l2", reread.Options.Streams[0].Source.Type);
        Assert.Contains("notice: streams[0].source.type:", error.ToString(), StringComparison.Ordinal);
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
