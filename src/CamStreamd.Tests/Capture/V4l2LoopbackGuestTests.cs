using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using CamStreamd.Tests.EndToEnd;
using CamStreamd.Tests.TestSupport.Qemu;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Capture;

/// <summary>
/// Compressed cameras, one QEMU boot for every case: <c>v4l2loopback</c> (built from Debian's
/// v4l2loopback-dkms against the guest kernel's headers) gives three nodes, and ffmpeg writers in
/// the guest feed them as a UVC or ESP32-P4 camera would: an H.264 elementary stream into two (one
/// stream <c>source.format auto</c> + <c>encoder.engine passthrough</c>, one <c>h264</c> + <c>auto</c>),
/// MJPEG into the third (<c>mjpeg</c> + <c>x264</c>). The clips are made on the host; clients in the
/// guest record the RTSP streams and take a snapshot, and the host compares: the H.264 NAL units
/// received equal those fed in (from where the client joined), the MJPEG stream decodes at the
/// configured size, and the snapshot is one of the camera's own JPEGs, byte for byte.
/// </summary>
public partial class V4l2LoopbackGuestTests(ITestOutputHelper output)
{
    private readonly ITestOutputHelper _output = output;

    private const int Width = 320;
    private const int Height = 180;
    private const int Fps = 15;
    private const int ClipSeconds = 90;
    private const int H264Frames = 60;
    private const int MjpegFrames = 30;

    private static readonly string Config = $$"""
        {
          "rtsp": { "listenAddress": "127.0.0.1", "port": 8554 },
          "http": { "listenAddress": "127.0.0.1", "port": 8080 },
          "streams": [
            { "name": "pass", "source": { "type": "v4l2", "device": "/dev/video10", "format": "auto", "width": {{Width}}, "height": {{Height}}, "fps": {{Fps}} },
              "encoder": { "engine": "passthrough", "gop": 15 } },
            { "name": "auto", "source": { "type": "v4l2", "device": "/dev/video11", "format": "h264", "width": {{Width}}, "height": {{Height}}, "fps": {{Fps}} },
              "encoder": { "engine": "auto", "gop": 15 } },
            { "name": "mjpeg", "source": { "type": "v4l2", "device": "/dev/video12", "format": "mjpeg", "width": {{Width}}, "height": {{Height}}, "fps": {{Fps}} },
              "encoder": { "engine": "x264", "bitrate": 500000, "gop": 15 } }
          ]
        }
        """;

    private static readonly string Script = """
        set -u
        export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
        OUT=/run/guest
        now() { cut -d' ' -f1 /proc/uptime; }
        waitfor() { # seconds, command...
          limit=$(( $1 * 10 )); shift; n=0
          while ! "$@" >/dev/null 2>&1; do n=$((n + 1)); [ $n -ge $limit ] && return 1; sleep 0.1; done
        }
        echo "RESULT script_at=$(now)"
        mkdir -p /run/clips
        mount -t 9p -o ro,trans=virtio,version=9p2000.L,msize=512000 clips /run/clips || { echo "RESULT clips=unmounted"; exit 1; }
        ls -la /run/clips > $OUT/clips.txt 2>&1
        ip link set lo up
        modprobe videodev || { echo "RESULT videodev=failed"; exit 1; }
        # v4l2loopback's writer overwrites its buffers in turn whether or not a reader still holds one
        # (a real camera driver never does): 8 buffers instead of 2 keep a frame being decoded intact.
        insmod MODULE devices=3 video_nr=10,11,12 exclusive_caps=0,0,0 max_buffers=8 || { echo "RESULT insmod=failed"; exit 1; }
        echo "RESULT nodes=$(ls /dev/video* | tr '\n' ' ')"
        # One writer process (ffmpeg starts slowly under TCG) sets each node's format; the format lasts
        # while it runs, and the clips outlast the test.
        ffmpeg -nostdin -loglevel error -re -framerate FPS -f h264 -i /run/clips/clip.h264 -re -framerate FPS -f mjpeg -i /run/clips/clip.mjpeg \
          -map 0:v -c copy -f v4l2 /dev/video10 -map 0:v -c copy -f v4l2 /dev/video11 -map 1:v -c copy -f v4l2 /dev/video12 2>$OUT/writer.err &
        # The daemon (slow to start under TCG too) starts alongside; a camera it opens before the
        # writer is ready is retried by the NO SIGNAL fallback, and the clients wait until all three opened.
        dotnet DLL --config $OUT/config.json > $OUT/daemon.log 2>&1 &
        DPID=$!
        for n in 10 11 12; do
          # v4l2loopback's sysfs "format" reads FOURCC:WxH@FPS once a writer set it (read is a shell builtin: no process per poll).
          i=0; f=""
          while [ $i -lt 400 ]; do
            read -r f < /sys/devices/virtual/video4linux/video$n/format 2>/dev/null
            case "$f" in H264*|MJPG*) break;; esac
            i=$((i + 1)); sleep 0.1
          done
          echo "RESULT format$n=$f"
          # The writer's rate, so the camera reports what it delivers.
          echo @FPS/1 > /sys/devices/virtual/video4linux/video$n/format
        done
        echo "RESULT writers_at=$(now)"
        # Streams are registered after the listeners open: wait for the daemon to be running.
        waitfor 60 grep -q "camstreamd running" $OUT/daemon.log || { echo "RESULT daemon=not-running"; kill $DPID; exit 1; }
        echo "RESULT running_at=$(now)"
        waitfor 30 sh -c "[ \$(grep -c 'Camera /dev/video1[012] opened' $OUT/daemon.log) -ge 3 ]" || echo "RESULT cameras=not-opened"
        echo "RESULT cameras_at=$(now)"
        echo "RESULT camera_losses=$(grep -Ec 'Camera /dev/video1[012] (lost|unavailable)' $OUT/daemon.log)"
        PIDS=""
        for s in pass auto; do
          ( timeout 60 ffmpeg -nostdin -loglevel error -rtsp_transport tcp -i rtsp://127.0.0.1:8554/$s -c copy -frames:v H264FRAMES -f h264 $OUT/$s.h264 2>$OUT/$s.err; echo $? > $OUT/$s.rc ) &
          PIDS="$PIDS $!"
        done
        ( timeout 60 ffmpeg -nostdin -loglevel error -rtsp_transport tcp -i rtsp://127.0.0.1:8554/mjpeg -frames:v MJPEGFRAMES -f rawvideo -pix_fmt yuv420p - 2>$OUT/mjpeg.err | wc -c > $OUT/mjpeg.bytes ) &
        PIDS="$PIDS $!"
        curl -s -m 20 -o $OUT/snapshot.jpg -w '%{http_code} %{content_type}' http://127.0.0.1:8080/streams/mjpeg/snapshot.jpg > $OUT/snapshot.status 2>&1
        wait $PIDS
        echo "RESULT clients_done_at=$(now)"
        for s in pass auto; do echo "RESULT rc_$s=$(cat $OUT/$s.rc)"; done
        echo "RESULT bytes_mjpeg=$(cat $OUT/mjpeg.bytes)"
        echo "RESULT snapshot=$(cat $OUT/snapshot.status)"
        curl -s -m 10 -o $OUT/streams.json http://127.0.0.1:8080/api/streams
        echo "RESULT done"
        # A graceful stop is the vivid test's business; poweroff ends everything here.
        """;

    [Fact]
    public async Task Compressed_cameras_h264_passes_through_untouched_and_mjpeg_is_decoded_and_snapshotted()
    {
        var release = QemuGuest.KernelRelease();
        var module = await V4l2LoopbackModule.BuildAsync(release);
        var clips = Directory.CreateTempSubdirectory("camstreamd-clips-").FullName;
        try
        {
            await MakeClipsAsync(clips);
            var guestScript = Script.Replace("DLL", DaemonProcess.DaemonDll, StringComparison.Ordinal)
                .Replace("MODULE", module, StringComparison.Ordinal)
                .Replace("H264FRAMES", H264Frames.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("MJPEGFRAMES", MjpegFrames.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("FPS", Fps.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
            var options = new QemuGuestOptions($"cat > /run/guest/config.json <<'CONFIG_EOF'\n{Config}\nCONFIG_EOF\n{guestScript}")
            {
                Timeout = TimeSpan.FromSeconds(360),
                Shares = [new QemuShare("clips", clips, ReadOnly: true)],
            };
            var result = await QemuGuest.RunAsync(options);
            try
            {

                Check(result, clips);
            }
            finally
            {
                Directory.Delete(Path.GetDirectoryName(result.OutputDirectory)!, recursive: true);
            }
        }
        finally
        {
            Directory.Delete(clips, recursive: true);
        }
    }

    private void Check(QemuGuestResult result, string clips)
    {
        var output = result.OutputDirectory;
        var results = ResultLine().Matches(result.ScriptLog).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim(), StringComparer.Ordinal);
        var daemonLog = ReadOrEmpty(Path.Combine(output, "daemon.log"));
        var clientErrors = string.Join('\n', new[] { "pass.err", "auto.err", "mjpeg.err", "writer.err", "clips.txt" }
            .Select(f => $"{f}: {ReadOrEmpty(Path.Combine(output, f)).Trim()}"));
        var details = $"{result.Describe()}\n--- clients, writers, formats ---\n{clientErrors}\n--- daemon.log (tail) ---\n{Tail(daemonLog)}";
        Assert.True(results.ContainsKey("done"), "the guest script did not finish:\n" + details);
        _output.WriteLine($"guest {result.Elapsed.TotalSeconds:0.0} s; " + string.Join(", ", results.Where(r => r.Key.EndsWith("_at", StringComparison.Ordinal)).Select(r => $"{r.Key} {r.Value} s")));
        _output.WriteLine(ReadOrEmpty(Path.Combine(output, "streams.json")));

        var size = string.Create(CultureInfo.InvariantCulture, $"{Width}x{Height}");
        Assert.True(results.GetValueOrDefault("format10", string.Empty).StartsWith("H264:" + size, StringComparison.Ordinal), "writer format of /dev/video10: " + details);
        Assert.True(results.GetValueOrDefault("format12", string.Empty).StartsWith("MJPG:" + size, StringComparison.Ordinal), "writer format of /dev/video12: " + details);

        // H.264 camera: the NAL units received are those fed in, untouched, whichever config chose passthrough.
        var fed = NalUnits(File.ReadAllBytes(Path.Combine(clips, "clip.h264")));
        foreach (var stream in new[] { "pass", "auto" })
        {
            Assert.True(results.GetValueOrDefault("rc_" + stream) == "0", $"{stream}: the recording client failed: " + details);
            var received = NalUnits(File.ReadAllBytes(Path.Combine(output, stream + ".h264")));
            var (pictures, skipped, gaps) = AssertSameNalUnits(stream, fed, received, details);
            _output.WriteLine($"{stream}: {received.Count} NAL units, {pictures} pictures equal to the clip's; {skipped} pictures lost in {gaps} gaps (each resumed at an IDR)");
        }

        using (var streams = JsonDocument.Parse(ReadOrEmpty(Path.Combine(output, "streams.json")) is { Length: > 0 } json ? json : "{}"))
        {
            var engines = FindEngines(streams.RootElement);
            Assert.True(engines.GetValueOrDefault("pass") == "passthrough", "pass engine: " + string.Join(", ", engines) + "\n" + details);
            Assert.True(engines.GetValueOrDefault("auto") == "passthrough", "auto engine: " + string.Join(", ", engines) + "\n" + details);
            Assert.True(engines.GetValueOrDefault("mjpeg") == "x264", "mjpeg engine: " + string.Join(", ", engines) + "\n" + details);
        }

        // MJPEG camera: decoded, encoded by x264, and a client decodes frames of the configured size.
        var expected = (MjpegFrames * Width * Height * 3 / 2).ToString(CultureInfo.InvariantCulture);
        Assert.True(results.GetValueOrDefault("bytes_mjpeg") == expected, $"MJPEG stream: expected {expected} bytes\n" + details);

        // The snapshot is the camera's own JPEG (no re-encoding): one of the clip's pictures, byte for byte.
        Assert.True(results.GetValueOrDefault("snapshot") == "200 image/jpeg", "snapshot: " + details);
        var snapshot = File.ReadAllBytes(Path.Combine(output, "snapshot.jpg"));
        Assert.True(snapshot.Length > 100 && snapshot[0] == 0xFF && snapshot[1] == 0xD8, $"snapshot of {snapshot.Length} bytes is not a JPEG");
        Assert.True(File.ReadAllBytes(Path.Combine(clips, "clip.mjpeg")).AsSpan().IndexOf(snapshot) >= 0, "the snapshot is not one of the camera's JPEGs");
    }

    /// <summary>
    /// Every NAL unit of <paramref name="received"/> must equal the clip's, in the clip's order,
    /// from where the client joined (found from its first slice: every picture of the clip differs).
    /// Pictures lost on the way (the loopback driver or a late capture under TCG) may be missing,
    /// but only whole GOPs' tails: after a gap the stream resumes at an SPS or IDR, never with P
    /// slices that refer to a lost picture. Returns (pictures received, pictures skipped, gaps).
    /// </summary>
    private static (int Pictures, int Skipped, int Gaps) AssertSameNalUnits(string stream, List<byte[]> fed, List<byte[]> received, string details)
    {
        var slices = received.Count(n => NalType(n) is 1 or 5);
        Assert.True(slices >= H264Frames, $"{stream}: {slices} slices received of {received.Count} NAL units\n" + details);
        Assert.True(NalType(received[0]) == 7, $"{stream}: the first NAL unit is type {NalType(received[0])}, not an SPS");
        var firstSlice = received.FindIndex(n => NalType(n) is 1 or 5);
        var at = fed.FindIndex(n => n.AsSpan().SequenceEqual(received[firstSlice]));
        Assert.True(at >= 0, $"{stream}: the first slice received (type {NalType(received[firstSlice])}, {received[firstSlice].Length} bytes) is not in the clip");
        var position = at - firstSlice;
        Assert.True(position >= 0, $"{stream}: the client's first slice is preceded by more NAL units than the clip has");
        var (skipped, gaps) = (0, 0);
        for (var i = 0; i < received.Count; i++)
        {
            if (position < fed.Count && received[i].AsSpan().SequenceEqual(fed[position]))
            {
                position++;
                continue;
            }

            // A gap: it must resume at a keyframe's SPS/PPS/IDR, found further on in the clip.
            var type = NalType(received[i]);
            Assert.True(type is 7 or 8 or 5, $"{stream}: NAL unit {i} (type {type}, {received[i].Length} bytes) differs from the clip's {position} (type {(position < fed.Count ? NalType(fed[position]) : -1)}) and does not start a keyframe");
            var slice = received.FindIndex(i, n => NalType(n) is 1 or 5);
            var found = fed.FindIndex(position, n => n.AsSpan().SequenceEqual(received[slice]));
            Assert.True(found >= 0 && NalType(received[slice]) == 5, $"{stream}: after NAL unit {i} the stream resumes with a type {NalType(received[slice])} slice that is not in the clip after {position}");
            var resume = found - (slice - i);
            Assert.True(resume >= position && received[i].AsSpan().SequenceEqual(fed[resume]), $"{stream}: NAL unit {i} (type {type}) is not the clip's {resume}, where the stream resumes");
            skipped += fed.Skip(position).Take(resume - position).Count(n => NalType(n) is 1 or 5);
            gaps++;
            position = resume + 1;
        }

        return (slices, skipped, gaps);
    }

    private static async Task MakeClipsAsync(string directory)
    {
        // An IDR every second with SPS/PPS in front (x264 repeats them without global headers), no
        // B-frames, as a camera sends; testsrc2 changes every picture, so every slice is unique.
        var source = $"testsrc2=size={Width}x{Height}:rate={Fps}";
        var h264 = await PeerProcess.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-f", "lavfi", "-i", source, "-t", $"{ClipSeconds}",
            "-c:v", "libx264", "-preset", "veryfast", "-g", $"{Fps}", "-bf", "0", "-pix_fmt", "yuv420p", "-f", "h264", "-y", Path.Combine(directory, "clip.h264")],
            TimeSpan.FromSeconds(60), "ffmpeg");
        Assert.True(h264.ExitCode == 0, h264.StandardError);
        var mjpeg = await PeerProcess.RunAsync("ffmpeg", ["-nostdin", "-v", "error", "-f", "lavfi", "-i", source, "-t", $"{ClipSeconds}",
            "-c:v", "mjpeg", "-q:v", "5", "-pix_fmt", "yuvj422p", "-f", "mjpeg", "-y", Path.Combine(directory, "clip.mjpeg")],
            TimeSpan.FromSeconds(60), "ffmpeg");
        Assert.True(mjpeg.ExitCode == 0, mjpeg.StandardError);
    }

    /// <summary>Annex-B NAL units without start codes (and without the zero bytes before a 4-byte start code).</summary>
    private static List<byte[]> NalUnits(byte[] data)
    {
        var starts = new List<int>();
        for (var i = 0; i + 2 < data.Length; i++)
        {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1)
            {
                starts.Add(i + 3);
                i += 2;
            }
        }

        var units = new List<byte[]>(starts.Count);
        for (var k = 0; k < starts.Count; k++)
        {
            var end = k + 1 < starts.Count ? starts[k + 1] - 3 : data.Length;
            while (end > starts[k] && data[end - 1] == 0)
            {
                end--;
            }

            units.Add(data[starts[k]..end]);
        }

        return units;
    }

    private static int NalType(byte[] nal) => nal.Length == 0 ? -1 : nal[0] & 0x1F;

    private static Dictionary<string, string?> FindEngines(JsonElement root)
    {
        var engines = new Dictionary<string, string?>(StringComparer.Ordinal);
        var list = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("streams", out var s) ? s : root;
        if (list.ValueKind != JsonValueKind.Array)
        {
            return engines;
        }

        foreach (var stream in list.EnumerateArray())
        {
            if (stream.TryGetProperty("name", out var name) && stream.TryGetProperty("encoder", out var encoder) && encoder.TryGetProperty("engine", out var engine))
            {
                engines[name.GetString()!] = engine.ValueKind == JsonValueKind.String ? engine.GetString() : null;
            }
        }

        return engines;
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : string.Empty;

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];

    [GeneratedRegex(@"^RESULT (\w+)=?(.*)$", RegexOptions.Multiline)]
    private static partial Regex ResultLine();
}
