using CamStreamd.Configuration;
using CamStreamd.Encoding;
using CamStreamd.Media;
using CamStreamd.Media.H264;

namespace CamStreamd.Tests.Encoding;

public sealed class FFmpegVideoEncoderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-x264-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(320, 240, "baseline", "Constrained Baseline")]
    [InlineData(1280, 720, "main", "Main")]
    [InlineData(320, 240, "high", "High")]
    public void Encodes_annexb_with_sps_pps_on_every_keyframe_every_gop(int width, int height, string profile, string ffprobeProfile)
    {
        const int Frames = 60;
        const int Gop = 30;
        var settings = new EncoderSettings(width, height, Fps: 30, Bitrate: 1_000_000, Gop: Gop, Profile: profile);
        var units = Encode(settings, Frames);

        // zerolatency: one access unit per frame, in capture order, with the frame's own timestamps.
        Assert.Equal(Frames, units.Count);
        var frames = new SyntheticFrames(width, height, 30);
        for (var i = 0; i < Frames; i++)
        {
            var unit = units[i];
            Assert.Equal(i, unit.FrameNumber);
            Assert.Equal(AccessUnit.TicksTo90k(unit.CaptureTimestamp), unit.Timestamp90k);
            if (i > 0)
            {
                Assert.True(unit.Timestamp90k > units[i - 1].Timestamp90k, $"timestamps not increasing at {i}");
            }

            Assert.True(StartsWithStartCode(unit.AnnexB), $"unit {i} is not Annex-B");
            var types = NalTypes(unit.AnnexB);
            if (unit.IsKeyframe)
            {
                AssertKeyframeNals(types, i);
            }
            else
            {
                Assert.DoesNotContain(NalUnitType.IdrSlice, types);
                Assert.DoesNotContain(NalUnitType.Sps, types);
                Assert.Contains(NalUnitType.NonIdrSlice, types);
            }
        }

        Assert.Equal([0, 30], units.Where(u => u.IsKeyframe).Select(u => (int)u.FrameNumber));

        // Rate control budgets per frame at the configured fps (not at the 90 kHz time base):
        // two seconds at 1 Mbit/s is ~250 KB; a 1/90000 s budget would give a few KB.
        var totalBytes = units.Sum(u => (long)u.AnnexB.Length);
        Assert.InRange(totalBytes, 60_000, 1_000_000);

        var file = WriteH264(units);
        AssertDecodesCleanly(file);
        var stream = Probe(file, "stream=width,height,profile,r_frame_rate", "default=noprint_wrappers=1");
        Assert.Contains("r_frame_rate=30/1", stream, StringComparison.Ordinal);
        Assert.Contains($"width={width}", stream, StringComparison.Ordinal);
        Assert.Contains($"height={height}", stream, StringComparison.Ordinal);
        Assert.Contains($"profile={ffprobeProfile}\n", stream, StringComparison.Ordinal);

        var pictTypes = Probe(file, "frame=pict_type", "csv=p=0")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.TrimEnd(','))
            .ToArray();
        Assert.Equal(Frames, pictTypes.Length);
        Assert.Equal("I", pictTypes[0]);
        Assert.DoesNotContain("B", pictTypes);
    }

    [Fact]
    public void RequestKeyframe_makes_the_next_unit_an_idr_with_parameter_sets()
    {
        var settings = new EncoderSettings(320, 240, Fps: 30, Bitrate: 500_000, Gop: 30);
        var units = Encode(settings, 45, (index, encoder) =>
        {
            if (index == 10)
            {
                encoder.RequestKeyframe();
            }
        });

        var unit = units[10];
        Assert.True(unit.IsKeyframe);
        Assert.Equal(10, unit.FrameNumber);
        AssertKeyframeNals(NalTypes(unit.AnnexB), 10);

        // The request is one-shot, and the GOP restarts from the forced IDR.
        Assert.False(units[11].IsKeyframe);
        Assert.Equal([0, 10, 40], units.Where(u => u.IsKeyframe).Select(u => (int)u.FrameNumber));
        AssertDecodesCleanly(WriteH264(units));
    }

    [Fact]
    public void Steady_state_encoding_allocates_nothing_managed()
    {
        var pool = new AccessUnitPool(initialCapacity: 256 * 1024);
        var settings = new EncoderSettings(320, 240, Fps: 30, Bitrate: 500_000, Gop: 10);
        var frames = new SyntheticFrames(320, 240, 30);
        var sink = new CollectingSink { Keep = false };
        using var encoder = new FFmpegVideoEncoder(EncoderEngines.X264, settings, pool);
        var prepared = Enumerable.Range(0, 40).Select(frames.Make).ToArray();
        for (var i = 0; i < 10; i++)
        {
            encoder.Encode(prepared[i], sink);
        }

        var created = pool.Created;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 10; i < 40; i++)
        {
            if (i == 25)
            {
                encoder.RequestKeyframe();
            }

            encoder.Encode(prepared[i], sink);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.Equal(created, pool.Created);
        Assert.Equal(40, encoder.FramesEncoded);
        Assert.Equal(40, encoder.UnitsPublished);

        // The pictures were lent to x264 in place (pinning allocates nothing managed either).
        Assert.Equal(40, encoder.PicturesLent);
    }

    [Fact]
    public void Equal_capture_times_still_give_increasing_timestamps()
    {
        var settings = new EncoderSettings(320, 240, Fps: 30, Bitrate: 500_000, Gop: 30);
        var frames = new SyntheticFrames(320, 240, 30);
        var sink = new CollectingSink();
        using var encoder = new FFmpegVideoEncoder(EncoderEngines.X264, settings, new AccessUnitPool());
        for (var i = 0; i < 3; i++)
        {
            var frame = frames.Make(i);
            frame.CaptureTimestamp = 1_000_000;
            encoder.Encode(frame, sink);
            frame.Release();
        }

        Assert.Equal(3, sink.Units.Count);
        Assert.All(sink.Units, u => Assert.Equal(1_000_000, u.CaptureTimestamp));
        Assert.Equal([0L, 1L, 2L], sink.Units.Select(u => u.FrameNumber));
    }

    [Fact]
    public void Scales_other_sized_frames_and_rejects_use_after_dispose()
    {
        var encoder = new FFmpegVideoEncoder(EncoderEngines.X264, new EncoderSettings(320, 240, 30, 500_000, 30), new AccessUnitPool());
        Assert.Equal("x264", encoder.Engine);
        var other = new SyntheticFrames(640, 480, 30).Make(0);
        encoder.Encode(other, new CollectingSink());
        Assert.Equal(1, encoder.Conversions);

        encoder.Dispose();
        encoder.Dispose();
        var right = new SyntheticFrames(320, 240, 30).Make(0);
        Assert.Throws<ObjectDisposedException>(() => encoder.Encode(right, new CollectingSink()));
    }

    internal static List<CollectingSink.Unit> Encode(EncoderSettings settings, int count, Action<int, FFmpegVideoEncoder>? beforeFrame = null)
    {
        var frames = new SyntheticFrames(settings.Width, settings.Height, settings.Fps);
        var sink = new CollectingSink();
        using var encoder = new FFmpegVideoEncoder(EncoderEngines.X264, settings, new AccessUnitPool());
        for (var i = 0; i < count; i++)
        {
            beforeFrame?.Invoke(i, encoder);
            var frame = frames.Make(i);
            encoder.Encode(frame, sink);
            frame.Release();
        }

        return sink.Units;
    }

    internal static void AssertKeyframeNals(List<int> types, int index)
    {
        var sps = types.IndexOf(NalUnitType.Sps);
        var pps = types.IndexOf(NalUnitType.Pps);
        var idr = types.IndexOf(NalUnitType.IdrSlice);
        Assert.True(sps >= 0 && pps > sps && idr > pps, $"keyframe {index} NAL types [{string.Join(',', types)}] lack SPS, PPS, IDR in order");
        Assert.DoesNotContain(NalUnitType.NonIdrSlice, types);
    }

    private static bool StartsWithStartCode(byte[] data) =>
        data.AsSpan().StartsWith((byte[])[0, 0, 0, 1]) || data.AsSpan().StartsWith((byte[])[0, 0, 1]);

    internal static List<int> NalTypes(byte[] annexB)
    {
        var types = new List<int>();
        var reader = new AnnexBReader(annexB);
        while (reader.TryReadNext(out var nal))
        {
            types.Add(AnnexBReader.NalType(nal));
        }

        return types;
    }

    private string WriteH264(List<CollectingSink.Unit> units)
    {
        var path = Path.Combine(_directory, $"out-{Guid.NewGuid():N}.h264");
        using var file = File.Create(path);
        foreach (var unit in units)
        {
            file.Write(unit.AnnexB);
        }

        return path;
    }

    internal static void AssertDecodesCleanly(string path)
    {
        var result = PeerProcess.Run("ffmpeg", ["-nostdin", "-v", "error", "-i", path, "-f", "null", "-"], "ffmpeg");
        Assert.True(result.ExitCode == 0 && result.StandardError.Length == 0, $"ffmpeg exit {result.ExitCode}: {result.StandardError}");
    }

    private static string Probe(string path, string entries, string format)
    {
        var result = PeerProcess.Run("ffprobe", ["-v", "error", "-show_entries", entries, "-of", format, path], "ffmpeg");
        Assert.True(result.ExitCode == 0, $"ffprobe exit {result.ExitCode}: {result.StandardError}");
        return result.StandardOutput.Replace("\r", string.Empty, StringComparison.Ordinal);
    }
}
