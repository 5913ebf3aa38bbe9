using System.Globalization;
using CamStreamd.Tests.EndToEnd;
using CamStreamd.Tests.WebRtc.Plane;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Packaging;

/// <summary>
/// The arm64 package's binary run for real without an arm64 machine: <c>qemu-aarch64-static</c>
/// (user-mode emulation) runs <c>/usr/bin/camstreamd</c> taken out of the .deb, with Debian's arm64
/// libraries installed multiarch (<c>libx264-164:arm64</c>, <c>libavcodec59:arm64</c>, <c>libssl3:arm64</c>, ...;
/// the arm64 loader at <c>/lib/ld-linux-aarch64.so.1</c>, <c>./build.sh test</c> installs them). It
/// serves the test pattern encoded by arm64 libx264 through our binding and the host's ffmpeg
/// decodes it: the NativeAOT cross-build, the binary's linking and its run-time loading of
/// libx264 (and not libavcodec: an I420 x264 stream never maps it) and (on the first WHEP offer,
/// not before) libssl all hold on arm64.
/// </summary>
[Collection(PackagingGroup.Name)]
public sealed class Arm64UserModeTests(AotDebFixture package, ITestOutputHelper output)
{
    private const int Width = 320;
    private const int Height = 240;
    private const int Frames = 30;

    [Fact]
    public async Task Arm64_binary_serves_the_test_pattern_under_qemu_user_and_the_host_decodes_it()
    {
        Assert.True(File.Exists("/lib/ld-linux-aarch64.so.1"), "no arm64 loader: dpkg --add-architecture arm64 and install libavcodec59:arm64 libssl3:arm64 (./build.sh setup does)");
        var binary = package.ExtractBinary("arm64");
        var version = PeerProcess.Run("qemu-aarch64-static", [binary, "--version"], "qemu-user-static");
        Assert.True(version.ExitCode == 0 && version.StandardOutput.StartsWith(CamStreamd.Configuration.BuildInfo.Version.Split('+')[0], StringComparison.Ordinal), $"--version under qemu-aarch64-static:\n{version.StandardOutput}\n{version.StandardError}");

        // Emulated x264 is 10-20 times slower than native: a small picture at 15 fps keeps up on a loaded machine.
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var daemon = await DaemonProcess.StartAsync(
            DaemonProcess.TestPatternConfig(width: Width, height: Height, fps: 15, gop: 15),
            timeout: TimeSpan.FromSeconds(120),
            command: ["qemu-aarch64-static", binary]);
        var listening = started.Elapsed;

        var decoded = Path.Combine(package.Scratch, "arm64-decoded.yuv");
        var ffmpeg = await PeerProcess.RunAsync(
            "ffmpeg",
            ["-nostdin", "-loglevel", "error", "-rtsp_transport", "tcp", "-i", daemon.Url("cam0"), "-frames:v", Frames.ToString(CultureInfo.InvariantCulture), "-f", "rawvideo", "-pix_fmt", "yuv420p", "-y", decoded],
            TimeSpan.FromMinutes(2),
            "ffmpeg");
        var bytes = File.Exists(decoded) ? new FileInfo(decoded).Length : 0;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"arm64 under qemu-user: listening after {listening.TotalSeconds:0.00} s, {Frames} frames decoded after {started.Elapsed.TotalSeconds:0.0} s"));
        Assert.True(ffmpeg.ExitCode == 0 && bytes == (long)Frames * Width * Height * 3 / 2, $"ffmpeg decoded {bytes} bytes ({ffmpeg.ExitCode}): {ffmpeg.StandardError}\n--- daemon ---\n{daemon.Output}");

        // The arm64 libraries are what the emulated process mapped (qemu-user maps the guest's
        // libraries into its own address space, so they show in its maps).
        var maps = await File.ReadAllTextAsync($"/proc/{daemon.ProcessId}/maps");
        Assert.Contains("/aarch64-linux-gnu/libx264.so.164", maps, StringComparison.Ordinal);
        Assert.DoesNotContain("libavcodec.so", maps, StringComparison.Ordinal);
        Assert.DoesNotContain("/x86_64-linux-gnu/", maps, StringComparison.Ordinal);
        // OpenSSL is loaded only when something needs it (RTSP/API auth, TLS, the WebRTC
        // certificate made by the first WHEP offer): until then the daemon has not mapped it.
        Assert.DoesNotContain("libssl.so", maps, StringComparison.Ordinal);

        // A WHEP offer makes the certificate (BouncyCastle, then .NET's hashing through OpenSSL):
        // arm64 libssl must load and answer.
        using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(1) };
        using var offer = new StringContent(WebRtcTestOffers.Chromium, System.Text.Encoding.ASCII, "application/sdp");
        using var answer = await http.PostAsync(new Uri(daemon.HttpBase, "streams/cam0/whep"), offer);
        var answerSdp = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == System.Net.HttpStatusCode.Created, $"WHEP POST: {(int)answer.StatusCode} {answerSdp}\n--- daemon ---\n{daemon.Output}");
        Assert.Contains("a=fingerprint:sha-256 ", answerSdp, StringComparison.Ordinal);
        maps = await File.ReadAllTextAsync($"/proc/{daemon.ProcessId}/maps");
        Assert.Contains("/aarch64-linux-gnu/libssl.so.3", maps, StringComparison.Ordinal);

        Assert.Equal(0, await daemon.StopAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("camstreamd stopped", daemon.Output, StringComparison.Ordinal);
    }
}
