using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Rtsp.Interop;

/// <summary>
/// Interop matrix, GStreamer's <c>rtspsrc</c> (a second RTSP client implementation, next to
/// libavformat's): it plays the real daemon's stream and decodes it with <c>avdec_h264</c>,
/// <see cref="InteropCase.Frames"/> frames of the configured size, over each transport and
/// authentication row (credentials in rtspsrc's user-id/user-pw); a row that offers a wrong
/// password must be refused. Rows share daemons (<see cref="InteropDaemons"/>).
/// </summary>
[Collection(InteropGroup.Name)]
[TestCaseOrderer(InteropRowOrderer.TypeName, InteropRowOrderer.AssemblyName)]
public sealed partial class GstreamerRtspsrcInteropTests
{
    private const string GstLaunch = "/usr/bin/gst-launch-1.0";
    private const string Packages = "gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav";
    private const int Frames = InteropCase.Frames;
    private readonly InteropDaemons _daemons;
    private readonly ITestOutputHelper _output;

    public GstreamerRtspsrcInteropTests(InteropDaemons daemons, ITestOutputHelper output)
    {
        _daemons = daemons;
        _output = output;
    }

    [Theory]
    [InlineData("tcp", InteropAuth.None)]
    [InlineData("udp", InteropAuth.None)]
    [InlineData("udp-mcast", InteropAuth.None)]
    [InlineData("udp", InteropAuth.Basic)]
    [InlineData("tcp", InteropAuth.BasicWrongPassword)]
    [InlineData("tcp", InteropAuth.Digest)]
    [InlineData("udp", InteropAuth.DigestWrongPassword)]
    public async Task Rtspsrc_decodes_150_frames_of_640x360_and_ends_with_eos(string protocols, InteropAuth auth)
    {
        Assert.True(File.Exists(GstLaunch), $"{GstLaunch} is missing: install the Debian packages {Packages}");
        var row = new InteropCase(protocols, auth);
        var run = await _daemons.AcquireAsync(row);
        var stopwatch = Stopwatch.StartNew();
        string[] credentials = row.Auth == InteropAuth.None ? [] : [$"user-id={InteropCase.User}", $"user-pw={row.PeerPassword}"];

        // fakesink num-buffers=150 posts EOS after the 150th decoded frame, so exit code 0 means the
        // pipeline ran to EOS (gst-launch exits 1 on an ERROR message). -v prints every property
        // change: fakesink's last-message once per buffer ("chain") and the decoder's src caps.
        // GST_DEBUG=1 (errors only): at WARN level rtspsrc logs "receive interrupted" on every
        // normal shutdown after EOS, and avdec_h264 may log "decreasing timestamp" while the
        // cached GOP that starts a viewer arrives faster than real time (the jitterbuffer's skew
        // estimate in buffer-mode slave); neither is a bus WARNING/ERROR message.
        var result = await run.RunPeerAsync(
            "/usr/bin/env",
            ["GST_DEBUG=1", "GST_DEBUG_NO_COLOR=1", GstLaunch, "-v",
             "rtspsrc", $"location={run.Daemon.Url("cam0")}", .. credentials, $"protocols={protocols}", "latency=0",
             "!", "rtph264depay", "!", "h264parse", "!", "avdec_h264",
             "!", "fakesink", "silent=false", $"num-buffers={Frames.ToString(CultureInfo.InvariantCulture)}"],
            TimeSpan.FromSeconds(30),
            Packages);
        _output.WriteLine($"{row}: gst-launch ran {stopwatch.Elapsed.TotalSeconds:F1} s (daemons started so far: {_daemons.Started})");
        var diagnostics = $"{row}: exit {result.ExitCode}, timed out {result.TimedOut}\nstderr:\n{result.StandardError}\nstdout (tail):\n{Tail(result.StandardOutput)}";

        Assert.False(result.TimedOut, diagnostics);
        if (row.ExpectRefused)
        {
            // rtspsrc posts "Unauthorized" as a bus ERROR; gst-launch then exits 1.
            Assert.True(result.ExitCode != 0, diagnostics);
            Assert.Contains("Unauthorized", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
            Assert.Equal(0, ChainLine().Count(result.StandardOutput));
            return;
        }

        var shutdownRace = IsRtspsrcShutdownRace(result.ExitCode, result.StandardOutput, result.StandardError);
        if (shutdownRace)
        {
            _output.WriteLine($"{row}: rtspsrc's own shutdown race after EOS (its queued PAUSE ran after its TEARDOWN); tolerated:\n{result.StandardError}");
        }
        else
        {
            Assert.True(result.ExitCode == 0, diagnostics + "\ndaemon:\n" + run.DaemonLogTail);
            Assert.True(result.StandardError.Trim().Length == 0, diagnostics);
        }

        Assert.DoesNotContain("WARNING:", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("ERROR:", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Got EOS from element \"pipeline0\"", result.StandardOutput, StringComparison.Ordinal);

        var decoded = ChainLine().Count(result.StandardOutput);
        Assert.True(decoded >= Frames, $"{decoded} decoded frames reached fakesink\n{diagnostics}");

        var caps = DecoderCaps().Match(result.StandardOutput);
        Assert.True(caps.Success, "no video/x-raw caps on avdec_h264's src pad\n" + diagnostics);
        Assert.Equal("640x360", $"{caps.Groups["w"].Value}x{caps.Groups["h"].Value}");
    }

    /// <summary>
    /// True for exactly one failure that is rtspsrc's and not the server's: after EOS, gst-launch
    /// sets the pipeline to NULL; PLAYING→PAUSED queues a PAUSE on rtspsrc's command thread and
    /// PAUSED→READY a CLOSE, and now and then (1 run in 20 here, idle) the CLOSE sends TEARDOWN and
    /// closes the connection first, so the PAUSE fails with "Received end-of-file" and gst-launch
    /// exits 1. The daemon never sees that PAUSE (its log shows TEARDOWN → 200, then the client
    /// closing). Everything before "Setting pipeline to NULL" must still be clean, and every error
    /// line must be that one.
    /// </summary>
    internal static bool IsRtspsrcShutdownRace(int exitCode, string standardOutput, string standardError)
    {
        if (exitCode != 1 || !standardOutput.Contains("Got EOS from element \"pipeline0\"", StringComparison.Ordinal))
        {
            return false;
        }

        var errors = standardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var pauseFailed = false;
        foreach (var line in errors)
        {
            var expected = line.StartsWith("ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Could not write to resource.", StringComparison.Ordinal)
                || line == "Additional debug info:"
                || line == "Could not send message. (Received end-of-file)"
                || RtspsrcSendSite().IsMatch(line);
            if (!expected)
            {
                return false;
            }

            pauseFailed |= line.Contains("gst_rtspsrc_pause ()", StringComparison.Ordinal);
        }

        return pauseFailed;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];

    // "../gst/rtsp/gstrtspsrc.c(9240): gst_rtspsrc_pause (): /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0:"
    [GeneratedRegex(@"^\S*gstrtspsrc\.c\(\d+\): gst_rtspsrc_(try_send|pause) \(\): /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0:$")]
    private static partial Regex RtspsrcSendSite();

    // "/GstPipeline:pipeline0/GstFakeSink:fakesink0: last-message = chain   ******* (fakesink0:sink) (345600 bytes, ..."
    [GeneratedRegex(@"GstFakeSink:fakesink0: last-message = chain ")]
    private static partial Regex ChainLine();

    // "/GstPipeline:pipeline0/avdec_h264:avdec_h264-0.GstPad:src: caps = video/x-raw, format=(string)I420, width=(int)640, height=(int)360, ..."
    [GeneratedRegex(@"avdec_h264-0\.GstPad:src: caps = video/x-raw,.*?width=\(int\)(?<w>\d+), height=\(int\)(?<h>\d+)")]
    private static partial Regex DecoderCaps();
}
