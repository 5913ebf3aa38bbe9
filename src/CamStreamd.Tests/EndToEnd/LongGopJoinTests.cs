using System.Globalization;

namespace CamStreamd.Tests.EndToEnd;

/// <summary>
/// A viewer joining a stream whose IDRs are 10 s apart starts on the cached GOP, not on the next
/// IDR. How fast it starts is a benchmark figure (<c>bench/join-time.sh</c>, target under 0.5 s);
/// the bound here only separates the two behaviours, with room for a busy machine.
/// </summary>
[Collection(EndToEndGroup.Name)]
public sealed class LongGopJoinTests
{
    [Theory]
    [InlineData("tcp")]
    [InlineData("udp")]
    public async Task A_client_joining_a_gop_300_stream_decodes_its_first_frame_without_waiting_for_the_next_idr(string transport)
    {
        await using var daemon = await DaemonProcess.StartAsync(DaemonProcess.TestPatternConfig(width: 640, height: 360, fps: 30, gop: 300));

        // Join mid-GOP: the cache then holds an IDR and the frames after it, not a fresh IDR.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var result = await PeerProcess.RunAsync(
            "ffmpeg",
            ["-nostdin", "-v", "error", "-rtsp_transport", transport, "-i", daemon.Url("cam0"), "-frames:v", "1", "-f", "null", "-"],
            TimeSpan.FromSeconds(30));

        // Joined about 3 s into the 10 s GOP: waiting for the next IDR would take 6 s or more.
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.True(
            result.Elapsed < TimeSpan.FromSeconds(4),
            string.Create(CultureInfo.InvariantCulture, $"first frame after {result.Elapsed.TotalMilliseconds:F0} ms (ffmpeg start included)"));
    }
}
