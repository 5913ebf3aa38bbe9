using CamStreamd.Configuration;
using CamStreamd.Hosting;

namespace CamStreamd.Tests.Hosting;

/// <summary>Which changed settings a reload reports as needing a restart.</summary>
public sealed class RestartRequiredSettingsTests
{
    private const string Streams = """ "streams": [ { "name": "a", "source": { "type": "testPattern" } } ] """;

    [Fact]
    public void Listener_auth_and_gpio_changes_need_a_restart_stream_and_level_changes_do_not()
    {
        var running = ConfigLoader.Parse($$"""{ "rtsp": { "port": 8554, "auth": { "mode": "basic", "users": [ { "name": "u", "password": "p" } ] } }, {{Streams}} }""").Options;
        var same = ConfigLoader.Parse($$"""{ "rtsp": { "port": 8554, "maxFrameLength": 1000, "auth": { "mode": "basic", "users": [ { "name": "u", "password": "p" } ] } }, "logging": { "level": "Debug" }, "streams": [ { "name": "b", "source": { "type": "testPattern" } } ] }""").Options;
        var changed = ConfigLoader.Parse($$"""{ "rtsp": { "port": 9554, "auth": { "mode": "basic", "users": [ { "name": "u", "password": "q" } ] } }, "http": { "port": 9080 }, "gpio": { "phyReset": { "line": 4 } }, {{Streams}} }""").Options;

        Assert.Empty(RestartRequiredSettings.Changed(running, same));
        Assert.Equal(["rtsp.port", "rtsp.auth", "http", "gpio"], RestartRequiredSettings.Changed(running, changed));
    }
}
