using System.Globalization;
using System.Text.RegularExpressions;
using CamStreamd.Tests.EndToEnd;
using CamStreamd.Tests.TestSupport.Qemu;

namespace CamStreamd.Tests.Capture;

/// <summary>
/// A real V4L2 camera: the <c>vivid</c> driver in a QEMU guest (one boot for every step). The
/// daemon (built here, run by the host's dotnet over 9p) captures three vivid nodes (YUYV, NV12,
/// multi-planar) and serves RTSP inside the guest; ffmpeg in the guest decodes 60 frames of each.
/// Then the camera is unplugged (rmmod, or unbinding the platform device when the module is in
/// use): the client keeps receiving NO SIGNAL frames; plugged back, real frames return without
/// the client reconnecting.
/// </summary>
public partial class V4l2VividGuestTests
{
    private const int Width = 320;
    private const int Height = 180;
    private const int Frames = 60;

    private static readonly string Config = $$"""
        {
          "rtsp": { "port": 8554 },
          "streams": [
            { "name": "yuyv", "source": { "type": "v4l2", "device": "/dev/video0", "format": "yuyv", "width": {{Width}}, "height": {{Height}}, "fps": 30 },
              "encoder": { "engine": "x264", "bitrate": 500000, "gop": 30 } },
            { "name": "nv12", "source": { "type": "v4l2", "device": "/dev/video1", "format": "nv12", "width": {{Width}}, "height": {{Height}}, "fps": 30 },
              "encoder": { "engine": "x264", "bitrate": 500000, "gop": 30 } },
            { "name": "mplane", "source": { "type": "v4l2", "device": "/dev/video2", "format": "auto", "width": {{Width}}, "height": {{Height}}, "fps": 30 },
              "encoder": { "engine": "x264", "bitrate": 500000, "gop": 30 } }
          ]
        }
        """;

    private static readonly string Script = """
        set -u
        export PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/tmp DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
        OUT=/run/guest
        now() { cut -d' ' -f1 /proc/uptime; }
        frames() { grep '^frame=' $OUT/progress.txt 2>/dev/null | tail -n 1 | cut -d= -f2; }
        waitfor() { # seconds, command...
          limit=$(( $1 * 10 )); shift; n=0
          while ! "$@" >/dev/null 2>&1; do n=$((n + 1)); [ $n -ge $limit ] && return 1; sleep 0.1; done
        }
        VIVID="n_devs=3 node_types=0x1,0x1,0x1 input_types=0x81,0x81,0x81 multiplanar=1,1,2 vid_cap_nr=0,1,2"
        ip link set lo up
        modprobe vivid $VIVID || { echo "RESULT modprobe=failed"; exit 1; }
        echo "RESULT nodes=$(ls /dev/video* | tr '\n' ' ')"
        dotnet DLL devices > $OUT/devices.txt 2>&1; echo "RESULT devices_rc=$?"
        dotnet DLL --config $OUT/config.json > $OUT/daemon.log 2>&1 &
        DPID=$!
        # "running" comes after every hosted service started: the streams exist then. RTSP listens
        # earlier, and under TCG a viewer that came in between got 404 for a stream not yet added.
        waitfor 60 grep -q "camstreamd running" $OUT/daemon.log || { echo "RESULT daemon=not-listening"; exit 1; }
        echo "RESULT listening_at=$(now)"
        PIDS=""
        for s in yuyv nv12 mplane; do
          ( timeout 60 ffmpeg -nostdin -loglevel error -rtsp_transport tcp -i rtsp://127.0.0.1:8554/$s -frames:v FRAMES -f rawvideo -pix_fmt yuv420p - 2>$OUT/$s.err | wc -c > $OUT/$s.bytes ) &
          PIDS="$PIDS $!"
        done
        wait $PIDS
        for s in yuyv nv12 mplane; do echo "RESULT bytes_$s=$(cat $OUT/$s.bytes)"; done

        ffmpeg -nostdin -loglevel error -rtsp_transport tcp -i rtsp://127.0.0.1:8554/yuyv -f null -progress $OUT/progress.txt - 2>$OUT/client.err &
        FPID=$!
        waitfor 30 sh -c "[ \"\$(grep '^frame=' $OUT/progress.txt | tail -n 1 | cut -d= -f2)\" -ge 30 ]" || echo "RESULT client=slow-start"
        if rmmod vivid 2>$OUT/rmmod.err; then UNPLUG=rmmod; else UNPLUG=unbind; echo vivid.0 > /sys/bus/platform/drivers/vivid/unbind; fi
        echo "RESULT unplug=$UNPLUG"
        waitfor 10 grep -q "Camera /dev/video0 lost" $OUT/daemon.log && echo "RESULT lost_logged=yes"
        F1=$(frames); sleep 3; F2=$(frames)
        echo "RESULT nosignal_frames=$((F2 - F1))"
        kill -0 $FPID && echo "RESULT alive_after_unplug=yes"
        if [ $UNPLUG = rmmod ]; then modprobe vivid $VIVID; else echo vivid.0 > /sys/bus/platform/drivers/vivid/bind; fi
        T0=$(now)
        waitfor 10 grep -q "Camera /dev/video0 is back" $OUT/daemon.log && echo "RESULT back_after=$(awk "BEGIN { print $(now) - $T0 }")"
        F3=$(frames); sleep 2; F4=$(frames)
        echo "RESULT frames_after_back=$((F4 - F3))"
        kill -0 $FPID && echo "RESULT alive_after_replug=yes"
        kill $FPID
        echo "RESULT done"
        # Background jobs of a non-interactive shell ignore SIGINT: stop with SIGTERM.
        kill -TERM $DPID
        for i in $(seq 100); do kill -0 $DPID 2>/dev/null || break; sleep 0.1; done
        kill -0 $DPID 2>/dev/null || echo "RESULT daemon_stopped=yes"
        """;

    [Fact]
    public async Task Vivid_camera_streams_survives_unplug_and_resumes()
    {
        var guestScript = Script.Replace("DLL", DaemonProcess.DaemonDll, StringComparison.Ordinal)
            .Replace("FRAMES", Frames.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        // The script writes the config into the output share first.
        var options = new QemuGuestOptions($"cat > /run/guest/config.json <<'CONFIG_EOF'\n{Config}\nCONFIG_EOF\n{guestScript}") { Timeout = TimeSpan.FromSeconds(360) }; // TCG on a busy 2-core machine took over 180 s
        var result = await QemuGuest.RunAsync(options);
        var results = ResultLine().Matches(result.ScriptLog).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Trim(), StringComparer.Ordinal);
        var daemonLog = ReadOrEmpty(Path.Combine(result.OutputDirectory, "daemon.log"));
        var devices = ReadOrEmpty(Path.Combine(result.OutputDirectory, "devices.txt"));
        Directory.Delete(Path.GetDirectoryName(result.OutputDirectory)!, recursive: true);
        var details = $"{result.Describe()}\n--- daemon.log (tail) ---\n{Tail(daemonLog)}\n--- devices ---\n{devices}";

        Assert.True(results.ContainsKey("done"), "the guest script did not finish:\n" + details);
        Assert.Equal("0", results["devices_rc"]);
        Assert.Contains("driver: vivid", devices, StringComparison.Ordinal);
        Assert.Contains("YUYV", devices, StringComparison.Ordinal);

        // 60 decoded frames of 320x180 I420 each from every camera mode.
        var expected = (Frames * Width * Height * 3 / 2).ToString(CultureInfo.InvariantCulture);
        Assert.True(results.GetValueOrDefault("bytes_yuyv") == expected, "YUYV stream: " + details);
        Assert.True(results.GetValueOrDefault("bytes_nv12") == expected, "NV12 stream: " + details);
        Assert.True(results.GetValueOrDefault("bytes_mplane") == expected, "multi-planar stream: " + details);
        Assert.Contains("multi-planar", daemonLog, StringComparison.Ordinal);

        // Unplugged: placeholder frames keep flowing to the same client.
        Assert.True(results.ContainsKey("lost_logged"), "camera loss not logged: " + details);
        Assert.True(int.Parse(results["nosignal_frames"], CultureInfo.InvariantCulture) >= 30, "NO SIGNAL frames: " + details);
        Assert.True(results.ContainsKey("alive_after_unplug"), "client died at unplug: " + details);

        // Plugged back: the camera is back within 3 s, the client never reconnected.
        Assert.True(results.TryGetValue("back_after", out var back), "camera did not come back: " + details);
        Assert.True(double.Parse(back, CultureInfo.InvariantCulture) <= 3.0, "camera back after " + back + " s: " + details);
        Assert.True(int.Parse(results["frames_after_back"], CultureInfo.InvariantCulture) >= 20, "frames after replug: " + details);
        Assert.True(results.ContainsKey("alive_after_replug"), "client died at replug: " + details);
        Assert.True(results.ContainsKey("daemon_stopped"), "the daemon did not stop on SIGTERM: " + details);
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : string.Empty;

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];

    [GeneratedRegex(@"^RESULT (\w+)=?(.*)$", RegexOptions.Multiline)]
    private static partial Regex ResultLine();
}
