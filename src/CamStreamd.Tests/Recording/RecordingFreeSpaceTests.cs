using CamStreamd.Tests.EndToEnd;
using CamStreamd.Tests.Rtsp.Pull;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Recording;

/// <summary>
/// The free-space floor on a small filesystem: the daemon runs in a mount namespace of its own
/// (<c>unshare -m</c>) with an 8 MB tmpfs over its recordings directory and
/// <c>minFreeMegabytes</c> 6. Oldest segments go first; when the test then fills the filesystem
/// (through <c>/proc/PID/root</c>, the daemon's view) nothing is left to delete and recording pauses
/// with a log line, while an RTSP viewer of the stream keeps decoding; freeing space resumes it.
/// </summary>
public sealed class RecordingFreeSpaceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-floor-").FullName;
    private readonly ITestOutputHelper _output;

    public RecordingFreeSpaceTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Below_the_floor_the_oldest_segments_go_first_then_recording_pauses_while_viewers_keep_decoding()
    {
        // 640x360 at 3 Mbit/s fills the 6 MB above the floor in well under a minute.
        var config = RecordingTests.Config("floor", _directory, "\"segmentSeconds\": 1, \"partSeconds\": 0.5, \"minFreeMegabytes\": 6", 640, 360, 3_000_000);
        string[] wrapper = ["unshare", "-m", "--propagation", "private", "sh", "-c", $"mount -t tmpfs -o size=8m camstreamd-test {_directory} && exec \"$0\" \"$@\""];
        await using var daemon = await DaemonProcess.StartAsync(config, wrapper: wrapper);
        using var api = new HttpClient { BaseAddress = daemon.HttpBase, Timeout = TimeSpan.FromSeconds(20) };
        var inside = $"/proc/{daemon.ProcessId}/root{_directory}";
        Assert.True(Directory.Exists(inside), $"{inside} is not visible");
        Assert.Empty(Directory.GetFiles(_directory, "*", SearchOption.AllDirectories)); // the host's directory stays empty: the tmpfs is the daemon's alone

        await RecordingTests.WaitUntilAsync(async () => (await Recording(api)).GetProperty("deletedForSpace").GetInt64() >= 2, "two segments deleted for space", TimeSpan.FromSeconds(120), daemon);
        var segments = (await RecordingTests.ListAsync(api, "floor")).GetProperty("segments").EnumerateArray().Select(s => s.GetProperty("file").GetString()!).ToList();
        var deleted = daemon.Output.Split('\n').Where(l => l.Contains("free space below minFreeMegabytes", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf("deleted segment ", StringComparison.Ordinal) + 16)..].Split(' ')[0]).ToList();
        _output.WriteLine($"deleted {string.Join(", ", deleted)}; kept {string.Join(", ", segments)}");
        Assert.NotEmpty(deleted);
        Assert.True(deleted.All(d => segments.All(k => string.CompareOrdinal(d, k) < 0)), "a newer segment was deleted before an older one");
        Assert.False((await Recording(api)).GetProperty("paused").GetBoolean());

        // Fill the filesystem: nothing old is left to make room, so recording pauses; RTSP goes on.
        await using var viewer = LiveFfmpeg.Start(daemon.Url("floor"), "tcp", TimeSpan.FromSeconds(120));
        await viewer.WaitForAsync(f => f.Count >= 15, TimeSpan.FromSeconds(20), "15 pictures");
        // Each deletion for space frees room that the next filler takes again, until nothing old is left.
        var fillers = new List<string>();
        for (var i = 0; !(await Recording(api)).GetProperty("paused").GetBoolean(); i++)
        {
            Assert.True(i < 40, $"recording did not pause with the filesystem full\n{daemon.Output}");
            var free = new DriveInfo(inside).AvailableFreeSpace;
            if (free > 512 * 1024)
            {
                var filler = Path.Combine(inside, $"filler{i}");
                fillers.Add(filler);
                try
                {
                    await File.WriteAllBytesAsync(filler, new byte[free - (512 * 1024)]);
                }
                catch (IOException)
                {
                    // The recorder took some of that space meanwhile; the next round fills what is left.
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        Assert.Contains("recording paused", daemon.Output, StringComparison.Ordinal);
        var framesAtPause = (await Recording(api)).GetProperty("framesWritten").GetInt64();
        var decodedAtPause = viewer.Frames.Count;
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.True((await Recording(api)).GetProperty("paused").GetBoolean());
        Assert.Equal(framesAtPause, (await Recording(api)).GetProperty("framesWritten").GetInt64());
        Assert.True(viewer.Running, viewer.Log);
        Assert.True(viewer.Frames.Count - decodedAtPause >= 60, $"the viewer decoded {viewer.Frames.Count - decodedAtPause} pictures in the 3 s the recording was paused");
        Assert.Equal(0, (await RecordingTests.GetJsonAsync(api, "/api/streams/floor")).GetProperty("drops").GetProperty("viewerQueueFull").GetInt64());

        // Space back: recording resumes.
        fillers.Where(File.Exists).ToList().ForEach(File.Delete);
        await RecordingTests.WaitUntilAsync(async () => !(await Recording(api)).GetProperty("paused").GetBoolean() && (await Recording(api)).GetProperty("framesWritten").GetInt64() > framesAtPause, "recording resumed", TimeSpan.FromSeconds(30), daemon);
    }

    private static async Task<System.Text.Json.JsonElement> Recording(HttpClient api) => (await RecordingTests.GetJsonAsync(api, "/api/streams/floor")).GetProperty("recording");
}
