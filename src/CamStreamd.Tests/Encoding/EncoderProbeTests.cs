using CamStreamd.Capture;
using CamStreamd.Configuration;
using CamStreamd.Encoding;
using CamStreamd.Media;
using CamStreamd.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Tests.Encoding;

/// <summary>
/// Probe results on this machine (no Rockchip MPP, no M2M encoder, no GPU render node): every
/// hardware engine is unusable for its missing device node (settled before FFmpeg is loaded)
/// and auto chooses x264 (our libx264 binding).
/// </summary>
public sealed class EncoderProbeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-probe-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Hardware_engines_are_unusable_with_reasons_and_x264_is_chosen()
    {
        var settings = new EncoderSettings(320, 240, 30, 500_000, 30);
        var results = EncoderProbe.ProbeAll(settings);

        Assert.Equal(["rkmpp", "v4l2m2m", "vaapi", "x264"], results.Select(r => r.Engine));
        Assert.Equal(["h264_rkmpp", "h264_v4l2m2m", "h264_vaapi", "libx264"], results.Select(r => r.Codec));
        Assert.Equal([false, false, false, true], results.Select(r => r.Usable));
        Assert.Equal("device node /dev/mpp_service missing (Rockchip MPP kernel driver not loaded)", results[0].Reason);
        Assert.StartsWith("no V4L2 M2M device with H.264 output among /dev/video*", results[1].Reason, StringComparison.Ordinal);
        Assert.Equal("device node /dev/dri/renderD128 missing (no DRM render node: GPU driver not loaded)", results[2].Reason);
        Assert.Equal("opened and encoded 5 frames at 320x240 (5 access units)", results[3].Reason);

        // Cached per size: the same list object comes back.
        Assert.Same(results, EncoderProbe.ProbeAll(settings with { Bitrate = 700_000 }));

        var logger = new ListLogger();
        Assert.Equal("x264", EncoderProbe.Choose(settings, logger));
        Assert.Equal(
            [
                "Encoder engine auto: chose x264 (libx264) for 320x240",
                $"Encoder engine auto: not rkmpp (h264_rkmpp): {results[0].Reason}",
                $"Encoder engine auto: not v4l2m2m (h264_v4l2m2m): {results[1].Reason}",
                $"Encoder engine auto: not vaapi (h264_vaapi): {results[2].Reason}",
            ],
            logger.Lines);
    }

    [Fact]
    public void A_vaapi_device_that_is_not_a_render_node_fails_to_open_with_the_av_error()
    {
        // A node that exists but is no DRM device: the reason is FFmpeg's own error.
        var settings = new EncoderSettings(320, 240, 30, 500_000, 30) { Device = "/dev/null" };
        var result = EncoderProbe.ProbeOne(EncoderEngines.Vaapi, settings);
        Assert.False(result.Usable);
        Assert.StartsWith("open failed: av_hwdevice_ctx_create(vaapi, /dev/null) failed: ", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_opens_auto_as_x264_and_passthrough_as_itself()
    {
        var factory = new EncoderFactory(new AccessUnitPool(), NullLoggerFactory.Instance);
        var settings = new EncoderSettings(320, 240, 30, 500_000, 30);
        using (var auto = factory.Create(EncoderEngines.Auto, settings))
        {
            Assert.Equal("x264", auto.Engine);
        }

        using var passthrough = factory.Create(EncoderEngines.Passthrough, settings);
        Assert.IsType<FormatFollowingEncoder>(passthrough);
        Assert.Equal("passthrough", passthrough.Engine);
        Assert.Throws<CamStreamd.Interop.FFmpeg.FFmpegUnavailableException>(() => factory.Create(EncoderEngines.Rkmpp, settings));
    }

    [Fact]
    public async Task Encoders_verb_prints_the_table_and_exits_0()
    {
        var config = Path.Combine(_directory, "camstreamd.json");
        File.WriteAllText(config, """{ "streams": [ { "name": "cam0", "source": { "type": "testPattern", "width": 640, "height": 360 } } ] }""");
        var dll = Path.Combine(AppContext.BaseDirectory, "camstreamd.dll");
        var result = await PeerProcess.RunAsync("dotnet", [dll, "encoders", "--config", config], TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.StandardError}");
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("probing at 640x360", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^ENGINE +CODEC +USABLE +REASON$", lines[1]);
        Assert.Matches(@"^rkmpp +h264_rkmpp +no +device node /dev/mpp_service missing", lines[2]);
        Assert.Matches(@"^v4l2m2m +h264_v4l2m2m +no +no V4L2 M2M device", lines[3]);
        Assert.Matches(@"^vaapi +h264_vaapi +no +device node /dev/dri/renderD128 missing", lines[4]);
        Assert.Matches(@"^x264 +libx264 +yes +opened and encoded 5 frames at 640x360", lines[5]);
        Assert.Equal("auto: x264", lines[6]);
    }

    [Fact]
    public async Task An_encoder_failing_mid_stream_is_counted_and_reopened_with_a_fresh_idr()
    {
        // A real x264 encoder; frame 8 arrives as H.264, which it refuses mid-stream.
        var settings = new EncoderSettings(64, 48, 30, 200_000, 100);
        using var hub = new StreamHub("cam0", 64, 48, 30, 100_000, 256, preparer: null);
        var opened = 0;
        var pipeline = new StreamPipeline(
            hub,
            () => new ScriptedSource(64, 48, badFrame: 8),
            () =>
            {
                opened++;
                return new FFmpegVideoEncoder(EncoderEngines.X264, settings, new AccessUnitPool());
            },
            NullLogger.Instance);
        using var subscription = hub.Subscribe(256);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = pipeline.RunAsync(cts.Token);
        while (hub.FramesPublished < 15 && !cts.IsCancellationRequested)
        {
            await Task.Delay(5);
        }

        await cts.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(1, hub.Counters.EncoderFailures);
        Assert.Equal(1, hub.Counters.Dropped(DropReason.EncoderError));
        Assert.Equal(0, hub.Counters.SourceFailures);
        Assert.Equal(2, opened);
        var keyframes = new List<long>();
        while (subscription.TryRead(out var unit))
        {
            if (unit.IsKeyframe)
            {
                keyframes.Add(unit.FrameNumber);
            }

            unit.Release();
        }

        // GOP 100: the only IDRs are the first encoder's and the reopened one's first picture.
        Assert.Equal([0L, 9L], keyframes);
    }

    private sealed class ScriptedSource(int width, int height, int badFrame) : IVideoSource
    {
        private readonly SyntheticFrames _frames = new(width, height, 1000);
        private readonly VideoFrame _bad = new(new NullOwner());
        private int _next;

        public int Width => width;

        public int Height => height;

        public double Fps => 1000;

        public async ValueTask<VideoFrame> ReadFrameAsync(CancellationToken cancellationToken)
        {
            await Task.Delay(1, cancellationToken);
            var index = _next++;
            if (index == badFrame)
            {
                _bad.SetPayload(VideoPixelFormat.H264, width, height, new byte[] { 0, 0, 0, 1, 0x65, 0x88 });
                _bad.FrameNumber = index;
                return _bad;
            }

            return _frames.Make(index);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class NullOwner : IVideoFrameOwner
    {
        public void ReturnFrame(VideoFrame frame)
        {
        }
    }

    private sealed class ListLogger : ILogger
    {
        public List<string> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Lines.Add(formatter(state, exception));
    }
}
