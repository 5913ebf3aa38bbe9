namespace CamStreamd.Tests.Rtsp.Interop;

/// <summary>
/// The interop test tolerates rtspsrc's shutdown race and nothing else: the stderr below is the one
/// a CI run printed (PAUSE after TEARDOWN on rtspsrc's own closed connection).
/// </summary>
public sealed class RtspsrcShutdownRaceTests
{
    private const string EosStdout = "Got EOS from element \"pipeline0\".\nExecution ended after 0:00:04.892179039\nSetting pipeline to NULL ...\nFreeing pipeline ...\n";

    private const string RaceStderr =
        "ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Could not write to resource.\n" +
        "Additional debug info:\n" +
        "../gst/rtsp/gstrtspsrc.c(6766): gst_rtspsrc_try_send (): /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0:\n" +
        "Could not send message. (Received end-of-file)\n" +
        "ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Could not write to resource.\n" +
        "Additional debug info:\n" +
        "../gst/rtsp/gstrtspsrc.c(9240): gst_rtspsrc_pause (): /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0:\n" +
        "Could not send message. (Received end-of-file)\n";

    [Fact]
    public void The_pause_after_teardown_race_after_eos_is_recognised() =>
        Assert.True(GstreamerRtspsrcInteropTests.IsRtspsrcShutdownRace(1, EosStdout, RaceStderr));

    [Fact]
    public void Without_eos_it_is_a_failure() =>
        Assert.False(GstreamerRtspsrcInteropTests.IsRtspsrcShutdownRace(1, "Setting pipeline to NULL ...\n", RaceStderr));

    [Fact]
    public void Any_other_error_line_is_a_failure()
    {
        var other = RaceStderr + "ERROR: from element /GstPipeline:pipeline0/GstRTSPSrc:rtspsrc0: Could not read from resource.\n";
        Assert.False(GstreamerRtspsrcInteropTests.IsRtspsrcShutdownRace(1, EosStdout, other));
        Assert.False(GstreamerRtspsrcInteropTests.IsRtspsrcShutdownRace(1, EosStdout, RaceStderr.Replace("Received end-of-file", "Connection refused", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_failed_teardown_alone_is_a_failure() =>
        Assert.False(GstreamerRtspsrcInteropTests.IsRtspsrcShutdownRace(1, EosStdout, RaceStderr.Replace("gst_rtspsrc_pause", "gst_rtspsrc_close", StringComparison.Ordinal)));

    [Fact]
    public void A_clean_exit_is_not_the_race() =>
        Assert.False(GstreamerRtspsrcInteropTests.IsRtspsrcShutdownRace(0, EosStdout, string.Empty));
}
