using System.Globalization;
using CamStreamd.Tests.EndToEnd;

namespace CamStreamd.Tests.Rtsp.Interop;

/// <summary>
/// Interop matrix, libavformat's RTSP client: the real daemon (test pattern → libx264 → RTSP)
/// played by ffmpeg, which decodes <see cref="InteropCase.Frames"/> frames of the configured size
/// (framemd5 lists each decoded frame with its byte size). One Theory row per transport and
/// authentication; a row that offers a wrong password must be refused with 401.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class FfmpegInteropTests
{
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("tcp", InteropAuth.None)]
    [InlineData("udp", InteropAuth.None)]
    //// One line per row as the features land, e.g.:
    //// [InlineData("udp_multicast", InteropAuth.None)]   (runs inside its own network namespace)
    //// [InlineData("tcp", InteropAuth.Basic)]            [InlineData("tcp", InteropAuth.BasicWrongPassword)]
    //// [InlineData("udp", InteropAuth.Digest)]           [InlineData("udp", InteropAuth.DigestWrongPassword)]
    public async Task Ffmpeg_decodes_150_frames_of_the_configured_size(string transport, InteropAuth auth)
    {
        var row = new InteropCase(transport, auth);
        await using var run = await InteropRun.StartAsync(row);
        var result = await run.RunPeerAsync(
            "ffmpeg",
            ["-nostdin", "-hide_banner", "-v", "error", "-rtsp_transport", transport, "-i", run.Url,
             "-frames:v", InteropCase.Frames.ToString(CultureInfo.InvariantCulture), "-pix_fmt", "yuv420p", "-f", "framemd5", "-"],
            PeerTimeout,
            "ffmpeg");
        var diagnostics = $"{row}: exit {result.ExitCode}, timed out {result.TimedOut}\nstderr:\n{result.StandardError}";
        Assert.False(result.TimedOut, diagnostics);

        if (row.ExpectRefused)
        {
            Assert.True(result.ExitCode != 0, diagnostics);
            Assert.Contains("401", result.StandardError, StringComparison.Ordinal);
            return;
        }

        Assert.True(result.ExitCode == 0, diagnostics + run.Daemon.Output);
        Assert.Equal(string.Empty, result.StandardError.Trim());

        // framemd5: "#stream#, dts, pts, duration, size, hash", one line per decoded frame.
        var frames = result.StandardOutput.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split(',')).ToList();
        Assert.Equal(InteropCase.Frames, frames.Count);
        var frameSize = (InteropCase.Width * InteropCase.Height * 3 / 2).ToString(CultureInfo.InvariantCulture);
        Assert.All(frames, f => Assert.Equal(frameSize, f[4].Trim()));
    }
}
