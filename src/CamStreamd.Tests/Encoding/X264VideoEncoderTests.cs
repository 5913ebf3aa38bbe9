using System.Globalization;
using CamStreamd.Configuration;
using CamStreamd.Encoding;
using CamStreamd.Interop.X264;
using CamStreamd.Media;
using CamStreamd.Media.H264;
using CamStreamd.Tests.EndToEnd;

namespace CamStreamd.Tests.Encoding;

/// <summary>
/// The <c>x264</c> engine through our own libx264 binding (<see cref="X264VideoEncoder"/>): its
/// output decoded by ffmpeg and ffprobe, IDRs on demand, the bitrate, x264's refusals naming the
/// option, and a daemon streaming it without libavcodec mapped.
/// </summary>
public sealed class X264VideoEncoderTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-x264direct-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(320, 240, "baseline", "Constrained Baseline")]
    [InlineData(1280, 720, "main", "Main")]
    [InlineData(320, 240, "high", "High")]
    public void Encodes_the_test_pattern_into_annexb_that_ffmpeg_decodes_at_the_right_size(int width, int height, string profile, string ffprobeProfile)
    {
        const int Frames = 60;
        var settings = new EncoderSettings(width, height, Fps: 30, Bitrate: 1_000_000, Gop: 30, Profile: profile);
        var units = Encode(settings, Frames);

        // zerolatency: one access unit per frame, in capture order, carrying the frame's own capture time.
        Assert.Equal(Frames, units.Count);
        for (var i = 0; i < Frames; i++)
        {
            Assert.Equal(i, units[i].FrameNumber);
            Assert.Equal(AccessUnit.TicksTo90k(units[i].CaptureTimestamp), units[i].Timestamp90k);
            Assert.True(units[i].AnnexB.AsSpan().StartsWith((byte[])[0, 0, 0, 1]) || units[i].AnnexB.AsSpan().StartsWith((byte[])[0, 0, 1]), $"unit {i} is not Annex-B");
            var types = FFmpegVideoEncoderTests.NalTypes(units[i].AnnexB);
            if (units[i].IsKeyframe)
            {
                FFmpegVideoEncoderTests.AssertKeyframeNals(types, i);
            }
            else
            {
                Assert.DoesNotContain(NalUnitType.IdrSlice, types);
                Assert.DoesNotContain(NalUnitType.Sps, types);
                Assert.Contains(NalUnitType.NonIdrSlice, types);
            }
        }

        // The first unit is an IDR with SPS and PPS before it; then one every GOP, nothing else.
        Assert.True(units[0].IsKeyframe);
        Assert.Equal([0, 30], units.Where(u => u.IsKeyframe).Select(u => (int)u.FrameNumber));

        var file = Write(units);
        FFmpegVideoEncoderTests.AssertDecodesCleanly(file);
        var stream = Probe(file, "stream=width,height,profile,r_frame_rate", "default=noprint_wrappers=1");
        Assert.Contains($"width={width}\n", stream, StringComparison.Ordinal);
        Assert.Contains($"height={height}\n", stream, StringComparison.Ordinal);
        Assert.Contains($"profile={ffprobeProfile}\n", stream, StringComparison.Ordinal);
        Assert.Contains("r_frame_rate=30/1", stream, StringComparison.Ordinal);
        var pictTypes = Probe(file, "frame=pict_type", "csv=p=0").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(t => t.TrimEnd(',')).ToArray();
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

        Assert.True(units[10].IsKeyframe);
        FFmpegVideoEncoderTests.AssertKeyframeNals(FFmpegVideoEncoderTests.NalTypes(units[10].AnnexB), 10);

        // One-shot, and the GOP restarts from the forced IDR.
        Assert.False(units[11].IsKeyframe);
        Assert.Equal([0, 10, 40], units.Where(u => u.IsKeyframe).Select(u => (int)u.FrameNumber));
        FFmpegVideoEncoderTests.AssertDecodesCleanly(Write(units));
    }

    [Theory]
    [InlineData(500_000)]
    [InlineData(2_000_000)]
    public void The_bitrate_is_roughly_honoured(long bitrate)
    {
        // Eight seconds of a noisy moving picture (x264 needs every bit it is given).
        const int Fps = 30;
        const int Frames = 8 * Fps;
        var settings = new EncoderSettings(640, 360, Fps, bitrate, Gop: 60);
        var units = Encode(settings, Frames, noise: true);
        var bits = 8.0 * units.Sum(u => (long)u.AnnexB.Length);
        var rate = bits * Fps / Frames;
        Assert.InRange(rate / bitrate, 0.75, 1.25);
    }

    [Fact]
    public void Steady_state_encoding_allocates_nothing_managed_and_lends_the_pictures()
    {
        var pool = new AccessUnitPool(initialCapacity: 256 * 1024);
        var frames = new SyntheticFrames(320, 240, 30);
        var sink = new CollectingSink { Keep = false };
        using var encoder = new X264VideoEncoder(new EncoderSettings(320, 240, Fps: 30, Bitrate: 500_000, Gop: 10), pool);
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

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(created, pool.Created);
        Assert.Equal(40, encoder.UnitsPublished);
        Assert.Equal(40, encoder.PicturesLent);
        Assert.Equal(0, encoder.Conversions);
    }

    [Fact]
    public void Other_formats_and_sizes_go_through_the_converter_and_decode()
    {
        var settings = new EncoderSettings(320, 240, Fps: 30, Bitrate: 500_000, Gop: 30);
        var sink = new CollectingSink();
        using (var encoder = new X264VideoEncoder(settings, new AccessUnitPool()))
        {
            var larger = new SyntheticFrames(640, 480, 30);
            for (var i = 0; i < 10; i++)
            {
                var frame = i % 2 == 0 ? larger.Make(i) : Nv12(320, 240, (byte)(40 + (10 * i)));
                frame.FrameNumber = i;
                encoder.Encode(frame, sink);
                frame.Release();
            }

            // The NV12 frames are not released to a pool (NullOwner); the I420 ones of another size are.
            Assert.Equal(10, encoder.Conversions);
            Assert.Equal(0, encoder.PicturesLent);
            encoder.Dispose();
            Assert.Throws<ObjectDisposedException>(() => encoder.Encode(new SyntheticFrames(320, 240, 30).Make(0), sink));
        }

        Assert.Equal(10, sink.Units.Count);
        FFmpegVideoEncoderTests.AssertDecodesCleanly(Write(sink.Units));
    }

    [Theory]
    [InlineData("keyint", "sixty", "x264 option keyint=sixty: x264 refused the value")]
    [InlineData("level", "9.9", "x264 option level=9.9: x264 refused the value")]
    [InlineData("no-such-option", "1", "x264 option no-such-option=1: x264 has no such option")]
    public void A_refused_option_names_its_key(string key, string value, string message)
    {
        using var parameters = X264Parameters.Create("ultrafast", X264OptionMap.Tune);
        var error = Assert.Throws<X264Exception>(() => parameters.Set(key, value));
        Assert.Equal(message, error.Message);
        Assert.Equal(key, error.Key);
    }

    [Fact]
    public void An_unknown_preset_is_refused_naming_it()
    {
        var error = Assert.Throws<X264Exception>(() => X264Parameters.Create("warp-speed", X264OptionMap.Tune));
        Assert.Equal("preset", error.Key);
        Assert.Contains("preset=warp-speed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_options_are_the_settings_verbatim()
    {
        var hd = new EncoderSettings(1280, 720, 30, 3_000_000, 60) { Threads = 2 };
        Assert.Equal(
            ["fps=30", "keyint=60", "bframes=0", "scenecut=0", "threads=2", "bitrate=3000", "vbv-maxrate=3000", "vbv-bufsize=3000",
             "cabac=1", "annexb=1", "repeat-headers=1", "log=1"],
            X264OptionMap.Build(hd).Select(o => o.ToString()));
        Assert.Equal(
            ["fps=25", "keyint=50", "bframes=0", "scenecut=0", "threads=1", "qp=23", "level=4.1", "cabac=1", "8x8dct=1", "annexb=1", "repeat-headers=1", "log=1"],
            X264OptionMap.Build(hd with { Fps = 25, Gop = 50, Threads = 1, Profile = "high", RateControl = "cqp", Qp = 23, Level = "4.1" }).Select(o => o.ToString()));
        Assert.Contains("vbv-maxrate=6000", X264OptionMap.Build(hd with { RateControl = "vbr" }).Select(o => o.ToString()));
    }

    [Fact]
    public void Picture_fields_land_where_x264_h_puts_them()
    {
        // Checked against x264.h (build 164) by a C offsetof probe when libx264-dev is installed.
        using var parameters = X264Parameters.Create("ultrafast", X264OptionMap.Tune);
        parameters.SetPicture(1280, 720, X264Constants.X264_CSP_I420);
        parameters.Set("threads", "3");
        Assert.Equal(1280, parameters.ReadInt32(X264Constants.ParamWidthOffset));
        Assert.Equal(720, parameters.ReadInt32(X264Constants.ParamHeightOffset));
        Assert.Equal(X264Constants.X264_CSP_I420, parameters.ReadInt32(X264Constants.ParamCspOffset));

        // i_threads sits at offset 4: x264_param_parse wrote it there.
        Assert.Equal(3, parameters.ReadInt32(4));
        const string header = "/usr/include/x264.h";
        if (!File.Exists(header))
        {
            return;
        }

        var source = Path.Combine(_directory, "probe.c");
        File.WriteAllText(source, """
            #include <stdint.h>
            #include <stddef.h>
            #include <stdio.h>
            #include <x264.h>
            int main(void) {
              printf("%zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %zu %d\n",
                sizeof(x264_param_t), sizeof(x264_picture_t), offsetof(x264_param_t, i_width), offsetof(x264_param_t, i_height),
                offsetof(x264_param_t, i_csp), offsetof(x264_picture_t, i_type), offsetof(x264_picture_t, b_keyframe),
                offsetof(x264_picture_t, i_pts), offsetof(x264_picture_t, img.i_csp), offsetof(x264_picture_t, img.i_stride),
                offsetof(x264_picture_t, img.plane), offsetof(x264_nal_t, i_payload), offsetof(x264_nal_t, p_payload), X264_BUILD);
              return 0;
            }
            """);
        var binary = Path.Combine(_directory, "probe");
        var cc = PeerProcess.Run("gcc", [source, "-o", binary], "gcc");
        Assert.True(cc.ExitCode == 0, cc.StandardError);
        var actual = PeerProcess.Run(binary, [], "probe").StandardOutput.Trim().Split(' ').Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(actual[0] <= X264Constants.ParamBufferSize && actual[1] <= X264Constants.PictureBufferSize, $"sizeof x264_param_t {actual[0]}, x264_picture_t {actual[1]}");
        Assert.Equal(
            [X264Constants.ParamWidthOffset, X264Constants.ParamHeightOffset, X264Constants.ParamCspOffset, X264Constants.PictureTypeOffset,
             X264Constants.PictureKeyframeOffset, X264Constants.PicturePtsOffset, X264Constants.PictureCspOffset, X264Constants.PictureStrideOffset,
             X264Constants.PicturePlaneOffset, X264Constants.NalPayloadSizeOffset, X264Constants.NalPayloadOffset, 164],
            actual[2..]);
    }

    [Fact]
    public async Task A_daemon_streams_the_test_pattern_with_libx264_mapped_and_no_libavcodec()
    {
        await using var daemon = await DaemonProcess.StartAsync(DaemonProcess.TestPatternConfig(width: 640, height: 360));
        var ffmpeg = await PeerProcess.RunAsync(
            "ffmpeg",
            ["-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", daemon.Url("cam0"), "-frames:v", "30", "-f", "null", "-"],
            TimeSpan.FromMinutes(1),
            "ffmpeg");
        Assert.True(ffmpeg.ExitCode == 0 && ffmpeg.StandardError.Length == 0, $"ffmpeg {ffmpeg.ExitCode}: {ffmpeg.StandardError}\n--- daemon ---\n{daemon.Output}");

        // Neither the encoder nor anything else at start (JPEG, decoders, recording) maps FFmpeg.
        var maps = await File.ReadAllTextAsync($"/proc/{daemon.ProcessId}/maps");
        Assert.Contains("/libx264.so.164", maps, StringComparison.Ordinal);
        Assert.DoesNotContain("libavcodec.so", maps, StringComparison.Ordinal);
        Assert.DoesNotContain("libavutil.so", maps, StringComparison.Ordinal);
        Assert.DoesNotContain("libswscale.so", maps, StringComparison.Ordinal);
        Assert.Contains("x264 encoder opened (libx264 direct)", daemon.Output, StringComparison.Ordinal);
        Assert.Equal(0, await daemon.StopAsync(TimeSpan.FromSeconds(30)));
    }

    private static List<CollectingSink.Unit> Encode(EncoderSettings settings, int count, Action<int, X264VideoEncoder>? beforeFrame = null, bool noise = false)
    {
        var frames = new SyntheticFrames(settings.Width, settings.Height, settings.Fps);
        var sink = new CollectingSink();
        var random = new Random(18);
        using var encoder = new X264VideoEncoder(settings, new AccessUnitPool());
        for (var i = 0; i < count; i++)
        {
            beforeFrame?.Invoke(i, encoder);
            var frame = frames.Make(i);
            if (noise)
            {
                var y = frame.Y;
                for (var p = 0; p < y.Length; p += 7)
                {
                    y[p] = (byte)(y[p] + random.Next(-12, 13));
                }
            }

            encoder.Encode(frame, sink);
            frame.Release();
        }

        return sink.Units;
    }

    private static VideoFrame Nv12(int width, int height, byte luma)
    {
        var frame = new VideoFrame(new NullOwner());
        var chroma = new byte[width * height / 2];
        Array.Fill(chroma, (byte)128);
        var y = new byte[width * height];
        Array.Fill(y, luma);
        frame.SetPlanes(VideoPixelFormat.Nv12, width, height, y, width, chroma, width);
        return frame;
    }

    private string Write(List<CollectingSink.Unit> units)
    {
        var path = Path.Combine(_directory, $"out-{Guid.NewGuid():N}.h264");
        using var file = File.Create(path);
        foreach (var unit in units)
        {
            file.Write(unit.AnnexB);
        }

        return path;
    }

    private static string Probe(string path, string entries, string format)
    {
        var result = PeerProcess.Run("ffprobe", ["-v", "error", "-show_entries", entries, "-of", format, path], "ffmpeg");
        Assert.True(result.ExitCode == 0, $"ffprobe exit {result.ExitCode}: {result.StandardError}");
        return result.StandardOutput.Replace("\r", string.Empty, StringComparison.Ordinal);
    }

    private sealed class NullOwner : IVideoFrameOwner
    {
        public void ReturnFrame(VideoFrame frame)
        {
        }
    }
}
