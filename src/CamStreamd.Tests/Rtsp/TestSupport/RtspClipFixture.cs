namespace CamStreamd.Tests.Rtsp.TestSupport;

/// <summary>Makes the H.264 test clips once for every integration test (GOP 30 and GOP 300, 640x360 at 30 fps).</summary>
public sealed class RtspClipFixture : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "camstreamd-rtsp-" + Guid.NewGuid().ToString("N"));

    internal H264Clip Gop30 { get; private set; } = null!;

    internal H264Clip Gop300 { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        var gop30 = H264Clip.CreateAsync(_directory, 30, 12);
        var gop300 = H264Clip.CreateAsync(_directory, 300, 12);
        Gop30 = await gop30;
        Gop300 = await gop300;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The integration tests share the clips and run one after another (2 cores).</summary>
[CollectionDefinition(Name)]
public sealed class RtspIntegrationGroup : ICollectionFixture<RtspClipFixture>
{
    public const string Name = "Rtsp integration";
}
