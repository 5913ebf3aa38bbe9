using CamStreamd.Encoding;

namespace CamStreamd.Tests.Encoding;

public class EncoderSettingsTests
{
    [Fact]
    public void Defaults_are_main_and_ultrafast_and_valid()
    {
        var settings = new EncoderSettings(1280, 720, 30, 3_000_000, 60);

        settings.Validate();
        Assert.Equal("main", settings.Profile);
        Assert.Equal("ultrafast", settings.Preset);
        Assert.InRange(settings.EffectiveThreads, 1, 4);
        Assert.Equal(3, (settings with { Threads = 3 }).EffectiveThreads);
    }

    [Theory]
    [InlineData(321, 240, 30, 1000, 30, "main", "ultrafast", "Width")]
    [InlineData(320, 0, 30, 1000, 30, "main", "ultrafast", "Width")]
    [InlineData(320, 240, 0, 1000, 30, "main", "ultrafast", "Fps")]
    [InlineData(320, 240, 30, 0, 30, "main", "ultrafast", "Bitrate")]
    [InlineData(320, 240, 30, 1000, 0, "main", "ultrafast", "Gop")]
    [InlineData(320, 240, 30, 1000, 30, "extended", "ultrafast", "Profile")]
    [InlineData(320, 240, 30, 1000, 30, "main", "ludicrous", "Preset")]
    public void Invalid_settings_name_the_setting(int width, int height, int fps, long bitrate, int gop, string profile, string preset, string name)
    {
        var e = Assert.Throws<ArgumentException>(() => new EncoderSettings(width, height, fps, bitrate, gop, profile, preset).Validate());
        Assert.Equal(name, e.ParamName);
    }
}
