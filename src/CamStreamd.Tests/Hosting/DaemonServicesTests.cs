using CamStreamd.Configuration;
using CamStreamd.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CamStreamd.Tests.Hosting;

public class DaemonServicesTests
{
    [Fact]
    public void Options_are_registered_as_the_given_instances()
    {
        var options = ConfigLoader.CreateEmbeddedDefault(videoDeviceExists: false);
        using var provider = new ServiceCollection().AddCamStreamdServices(options).BuildServiceProvider();

        Assert.Same(options, provider.GetRequiredService<CamStreamdOptions>());
        Assert.Same(options.Rtsp, provider.GetRequiredService<RtspOptions>());
    }
}
