using CamStreamd.WhepLoad;

namespace CamStreamd.Tests.WebRtc.Whep;

/// <summary>
/// The benchmark's WHEP load client (bench/CamStreamd.WhepLoad) against the real daemon: two
/// sessions complete ICE and DTLS, every SRTP packet they get authenticates and decrypts into
/// H.264, consent checks are answered, and disposing the run DELETEs both sessions. If this fails,
/// the webrtc-fanout bench would measure sessions that do not play.
/// </summary>
[Collection(WebRtcDaemonGroup.Name)]
public sealed class WhepLoadClientTests(WebRtcDaemonFixture fixture)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Two_sessions_play_srtp_that_decrypts_keep_consent_and_end_on_delete()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using (var run = new WhepLoadRun())
        {
            await run.StartAsync(new Uri(fixture.Daemon.HttpBase, "/streams/cam0/whep"), 2, verifyEvery: 1, cancel.Token);
            await fixture.WaitUntilAsync(async () => await fixture.WebRtcClientsAsync() == 2, "2 WebRTC clients of cam0", Wait);

            // 150 packets each (a couple of seconds of the 600 kbit/s stream), every one checked.
            await run.WaitForMediaAsync(150, Wait, cancel.Token);
            // The nomination's answer and one to a consent check (sent every 5 s).
            await fixture.WaitUntilAsync(() => Task.FromResult(run.Sessions.All(s => s.StunAnswers >= 2)), $"consent checks answered; {run.Summary()}", Wait);

            foreach (var session in run.Sessions)
            {
                Assert.Equal(0, session.AuthFailures);
                Assert.Equal(0, session.BadPayloads);
                Assert.True(session.Verified >= 150, run.Summary());
                Assert.True(session.Rtcp >= 1, $"no sender report; {run.Summary()}");
            }
        }

        await fixture.WaitUntilAsync(async () => await fixture.SessionsAsync() == 0, "both sessions ended by DELETE", TimeSpan.FromSeconds(10));
    }
}
