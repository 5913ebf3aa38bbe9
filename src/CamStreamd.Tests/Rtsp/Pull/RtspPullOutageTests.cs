using System.Diagnostics;
using Xunit.Abstractions;

namespace CamStreamd.Tests.Rtsp.Pull;

/// <summary>
/// The outage test: the upstream gst-rtsp-server is killed for 5 s and started again on its port.
/// The relay's ffmpeg client keeps its connection through the outage (it sees the relay's NO
/// SIGNAL placeholder, 320x240, instead of the upstream's 352x288 pictures) and decodes the
/// upstream's pictures again within 5 s of the server's return.
/// </summary>
[Collection(PullGroup.Name)]
public sealed class RtspPullOutageTests
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan BackWithin = TimeSpan.FromSeconds(5);
    private readonly PullFixture _fixture;
    private readonly ITestOutputHelper _output;

    public RtspPullOutageTests(PullFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public async Task The_relays_client_stays_connected_through_an_upstream_outage_and_decodes_the_upstream_again_within_5_s()
    {
        var upstreamSize = (PullFixture.OutageWidth, PullFixture.OutageHeight);
        var placeholderSize = (PullFixture.Width, PullFixture.Height);
        await using var ffmpeg = LiveFfmpeg.Start(_fixture.Relay.Url("outage"), "tcp", TimeSpan.FromSeconds(60));
        await ffmpeg.WaitForAsync(f => f.Count(x => (x.Width, x.Height) == upstreamSize) >= 30, TimeSpan.FromSeconds(15), "30 upstream pictures");

        await _fixture.Outage.KillAsync();
        var killedAt = ffmpeg.Now;
        var killedWallClock = DateTimeOffset.UtcNow;

        // The new server process starts at once but binds the port only 5 s after the kill.
        var restart = _fixture.Outage.RestartAsync(killedWallClock + Outage);
        await ffmpeg.WaitForAsync(f => f.Any(x => x.At > killedAt && (x.Width, x.Height) == placeholderSize), TimeSpan.FromSeconds(5), "the NO SIGNAL placeholder");
        await restart;
        var backAt = ffmpeg.Now;
        Assert.InRange((backAt - killedAt).TotalSeconds, Outage.TotalSeconds - 0.2, Outage.TotalSeconds + 2);
        await ffmpeg.WaitForAsync(f => f.Any(x => x.At > backAt && (x.Width, x.Height) == upstreamSize), BackWithin + TimeSpan.FromSeconds(10), "upstream pictures after the restart");
        var frames = ffmpeg.Frames;
        var firstAgain = frames.First(x => x.At > backAt && (x.Width, x.Height) == upstreamSize).At;
        _output.WriteLine($"upstream killed at {killedAt.TotalSeconds:F2} s, back at {backAt.TotalSeconds:F2} s, its pictures decoded again at {firstAgain.TotalSeconds:F2} s ({(firstAgain - backAt).TotalSeconds:F2} s after its return)");

        Assert.True(ffmpeg.Running, "the relay's ffmpeg client ended during the outage:\n" + ffmpeg.Log);
        Assert.True(firstAgain - backAt <= BackWithin, $"upstream pictures came back {(firstAgain - backAt).TotalSeconds:F2} s after the server did\nrelay:\n{OutageLog}");

        // One client session throughout, and pictures kept coming during the outage (the placeholder):
        // never a gap of more than 2 s. (showinfo's picture numbers restart when the size changes.)
        Assert.Contains(frames, x => x.At > killedAt && x.At < backAt && (x.Width, x.Height) == placeholderSize);
        var gap = frames.Zip(frames.Skip(1), (a, b) => (Before: a, After: b)).MaxBy(p => p.After.At - p.Before.At);
        var longestGap = gap.After.At - gap.Before.At;
        _output.WriteLine($"longest gap {longestGap.TotalSeconds:F2} s, from {gap.Before.At.TotalSeconds:F2} s ({gap.Before.Width}x{gap.Before.Height}) to {gap.After.At.TotalSeconds:F2} s ({gap.After.Width}x{gap.After.Height})");
        Assert.True(longestGap < TimeSpan.FromSeconds(2), $"ffmpeg decoded nothing for {longestGap.TotalSeconds:F2} s, from {gap.Before.At.TotalSeconds:F2} s ({gap.Before.Width}x{gap.Before.Height}) to {gap.After.At.TotalSeconds:F2} s ({gap.After.Width}x{gap.After.Height}); upstream killed at {killedAt.TotalSeconds:F2} s, back at {backAt.TotalSeconds:F2} s\nrelay:\n{OutageLog}");

        var upstream = (await _fixture.StreamAsync("outage")).GetProperty("upstream");
        _output.WriteLine(upstream.ToString());
        _output.WriteLine(OutageLog);
        Assert.True(upstream.GetProperty("reconnects").GetInt64() >= 1);
        Assert.True(upstream.GetProperty("failures").GetInt64() >= 1);
        Assert.Equal("playing", upstream.GetProperty("state").GetString());
    }

    /// <summary>The relay's log lines about the outage stream.</summary>
    private string OutageLog => string.Join('\n', _fixture.Relay.Output.Split('\n').Where(l => l.Contains("outage", StringComparison.Ordinal) || l.Contains("FormatFollowing", StringComparison.Ordinal)));
}
