using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Rtsp.Interop;

/// <summary>
/// Interop matrix, libavformat's RTSP client: the real daemon (test pattern → libx264 → RTSP)
/// played by ffmpeg, which decodes <see cref="InteropCase.Frames"/> frames of the configured size
/// (framemd5 lists each decoded frame with its byte size). One Theory row per transport and
/// authentication (credentials percent-encoded in the URL); a row that offers a wrong password
/// must be refused with 401. Rows share daemons (<see cref="InteropDaemons"/>).
/// </summary>
[Collection(InteropGroup.Name)]
[TestCaseOrderer(InteropRowOrderer.TypeName, InteropRowOrderer.AssemblyName)]
public sealed class FfmpegInteropTests
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(30);
    private readonly InteropDaemons _daemons;
    private readonly ITestOutputHelper _output;

    public FfmpegInteropTests(InteropDaemons daemons, ITestOutputHelper output)
    {
        _daemons = daemons;
        _output = output;
    }

    [Theory]
    [InlineData("tcp", InteropAuth.None)]
    [InlineData("udp", InteropAuth.None)]
    [InlineData("udp_multicast", InteropAuth.None)]
    [InlineData("tcp", InteropAuth.Basic)]
    [InlineData("udp", InteropAuth.BasicWrongPassword)]
    [InlineData("udp", InteropAuth.Digest)]
    [InlineData("tcp", InteropAuth.DigestWrongPassword)]
    public async Task Ffmpeg_decodes_150_frames_of_the_configured_size(string transport, InteropAuth auth)
    {
        var row = new InteropCase(transport, auth);
        var run = await _daemons.AcquireAsync(row);
        var stopwatch = Stopwatch.StartNew();
        var result = await run.RunPeerAsync(
            "ffmpeg",
            ["-nostdin", "-hide_banner", "-v", "error", "-rtsp_transport", transport, "-i", row.UrlWithCredentials(run.Daemon),
             "-frames:v", InteropCase.Frames.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p", "-f", "framemd5", "-"],
            PeerTimeout,
            "ffmpeg");
        _output.WriteLine($"{row}: ffmpeg ran {stopwatch.Elapsed.TotalSeconds:F1} s (daemons started so far: {_daemons.Started})");
        var diagnostics = $"{row}: exit {result.ExitCode}, timed out {result.TimedOut}\nstderr:\n{result.StandardError}";
        Assert.False(result.TimedOut, diagnostics);

        if (row.ExpectRefused)
        {
            Assert.True(result.ExitCode != 0, diagnostics);
            Assert.Contains("401 Unauthorized", result.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("framemd5", result.StandardOutput, StringComparison.Ordinal);
            return;
        }

        Assert.True(result.ExitCode == 0, diagnostics + "\ndaemon:\n" + run.DaemonLogTail);
        Assert.Equal(string.Empty, result.StandardError.Trim());

        // framemd5: "#stream#, dts, pts, duration, size, hash", one line per decoded frame.
        var frames = result.StandardOutput.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(',')).ToList();
        Assert.Equal(InteropCase.Frames, frames.Count);
        var frameSize = (InteropCase.Width * InteropCase.Height * 3 / 2).ToString(CultureInfo.InvariantCulture);
        Assert.All(frames, f => Assert.Equal(frameSize, f[4].Trim()));
    }
}
