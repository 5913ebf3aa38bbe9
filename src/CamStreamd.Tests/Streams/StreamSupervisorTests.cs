using CamStreamd.Configuration;
using CamStreamd.Media;
using CamStreamd.Streams;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Tests.Streams;

public sealed class StreamSupervisorTests
{
    private static StreamOptions Stream(string name, int bitrate = 500_000) =>
        new(name, new SourceOptions(Type: SourceTypes.TestPattern, Width: 160, Height: 120, Fps: 15), new EncoderOptions(EncoderEngines.X264, bitrate, 15, "main"));

    private static (StreamSupervisor Supervisor, StreamHubRegistry Registry) Create(params StreamOptions[] streams)
    {
        var registry = new StreamHubRegistry();
        var factory = new StreamFactory(NullLoggerFactory.Instance, new AccessUnitPool(), registry);
        var options = new CamStreamdOptions(Streams: streams);
        return (new StreamSupervisor(options, factory, registry, TimeProvider.System, NullLogger<StreamSupervisor>.Instance), registry);
    }

    private static async Task WaitForFramesAsync(StreamInstance stream, long frames)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (stream.Counters.FramesEncoded < frames)
        {
            await Task.Delay(20, cts.Token);
        }
    }

    [Fact]
    public async Task Apply_keeps_unchanged_streams_rebuilds_changed_ones_and_adds_and_removes()
    {
        var (supervisor, registry) = Create(Stream("keep"), Stream("change"), Stream("drop"));
        await using var running = supervisor;
        await supervisor.StartAsync(CancellationToken.None);
        var keep = supervisor.Find("keep")!;
        var change = supervisor.Find("change")!;
        await WaitForFramesAsync(keep, 3);

        var changes = await supervisor.ApplyAsync(
            new CamStreamdOptions(Streams: [Stream("keep"), Stream("change", bitrate: 800_000), Stream("new")]),
            CancellationToken.None);

        Assert.Equal(["new"], changes.Added);
        Assert.Equal(["drop"], changes.Removed);
        Assert.Equal(["change"], changes.Restarted);
        Assert.Equal(["keep"], changes.Unchanged);
        Assert.Same(keep, supervisor.Find("keep"));
        Assert.True(keep.IsStarted);
        Assert.NotSame(change, supervisor.Find("change"));
        Assert.Equal(800_000, supervisor.Find("change")!.Options.Encoder.Bitrate);
        Assert.Null(supervisor.Find("drop"));
        Assert.Equal(["change", "keep", "new"], registry.Names.Order(StringComparer.Ordinal));
        await WaitForFramesAsync(supervisor.Find("new")!, 3);
    }

    [Fact]
    public async Task A_stopped_stream_keeps_its_hub_and_viewers_and_resumes_on_start()
    {
        var (supervisor, registry) = Create(Stream("cam0"));
        await using var running = supervisor;
        await supervisor.StartAsync(CancellationToken.None);
        var stream = supervisor.Find("cam0")!;
        await WaitForFramesAsync(stream, 2);
        using var viewer = stream.Hub.Subscribe();

        Assert.True(await supervisor.StopStreamAsync("cam0", CancellationToken.None));
        Assert.Equal(StreamState.Stopped, stream.State);
        Assert.False(viewer.IsCompleted);
        Assert.True(registry.TryGet("cam0", out _));
        var framesWhenStopped = stream.Counters.FramesEncoded;

        Assert.True(await supervisor.StartStreamAsync("cam0", CancellationToken.None));
        await WaitForFramesAsync(stream, framesWhenStopped + 3);
        Assert.True(stream.IsStarted);
        Assert.False(await supervisor.StartStreamAsync("nope", CancellationToken.None));
    }

    [Fact]
    public async Task Remove_ends_the_viewers_and_unregisters_and_a_taken_name_is_refused()
    {
        var (supervisor, registry) = Create(Stream("cam0"));
        await using var running = supervisor;
        await supervisor.StartAsync(CancellationToken.None);
        Assert.False(await supervisor.AddAsync(Stream("CAM0"), CancellationToken.None));
        using var viewer = supervisor.Find("cam0")!.Hub.Subscribe();

        Assert.True(await supervisor.RemoveAsync("cam0", CancellationToken.None));

        Assert.True(viewer.IsCompleted);
        Assert.False(registry.TryGet("cam0", out _));
        Assert.Empty(supervisor.Streams);
        Assert.False(await supervisor.RemoveAsync("cam0", CancellationToken.None));
    }
}
