using CamStreamd.Interop.Libc;
using CamStreamd.Media;
using CamStreamd.WebRtc.Feed;
using static CamStreamd.Tests.WebRtc.WebRtcFeedTesting;

namespace CamStreamd.Tests.WebRtc;

/// <summary>
/// Sessions on one shared port (the plane's, here a real loopback socket) get a frame from
/// <c>sendmmsg</c> batches that span them (<see cref="WebRtcFanoutBatch"/>): every session still
/// gets every packet once, gapless, under its own keys; a message the kernel refuses goes through
/// its session's own sender; a full buffer skips the sessions it stopped to the next IDR.
/// </summary>
public sealed class WebRtcFanoutBatchTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly AccessUnitPool _pool = new();
    private readonly StreamHub _hub = new("cam", 1280, 720, 30, 1 << 20, 300, preparer: null);
    private readonly WebRtcStreamFeeds _feeds = new();
    private readonly LoopbackSharedPort _port = new();
    private readonly List<BrowserMediaPeer> _peers = [];
    private long _frame;

    public void Dispose()
    {
        _feeds.Dispose();
        _hub.Dispose();
        foreach (var peer in _peers)
        {
            peer.Dispose();
        }

        _port.Dispose();
    }

    [Fact]
    public void Sessions_on_a_shared_port_get_every_packet_once_from_batches_that_span_them()
    {
        const int sessions = 6;
        var peers = Enumerable.Range(0, sessions).Select(_ => Peer()).ToArray();
        var attached = peers.Select(p => _feeds.Attach(_hub, p.Setup)).ToArray();

        const int units = 21;
        PublishLargeIdrAndFrames(units);
        AssertEveryFrameOnce(peers, units);
        Assert.All(peers, peer => Assert.Equal(0, peer.OwnSends));

        var reference = Payloads(peers[0]);
        Assert.True(reference.Length > units + 32, $"{reference.Length} packets");
        Assert.All(peers.Skip(1), peer => Assert.Equal(reference, Payloads(peer)));
        WaitForUnitsCounted(attached, units);
        Assert.All(attached, s => Assert.Equal((units, 0L, (long)reference.Length), (s.Stats.FramesSent, s.Stats.FramesDropped, s.Stats.PacketsSent)));

        // A call per session per frame would be 126; spanning batches make one per frame, plus one
        // per session where the IDR overflowed its slots.
        Assert.InRange(_port.Calls, units, units + sessions + 1);
    }

    [Fact]
    public void Messages_the_port_refuses_go_through_their_sessions_own_sender_and_nothing_is_lost()
    {
        var peers = Enumerable.Range(0, 4).Select(_ => Peer()).ToArray();
        var attached = peers.Select(p => _feeds.Attach(_hub, p.Setup)).ToArray();
        _port.Refuse(peers[1].Address, Errno.EINVAL);

        const int units = 11;
        PublishLargeIdrAndFrames(units);
        AssertEveryFrameOnce(peers, units);

        Assert.Equal(peers[1].Rtp.Count, peers[1].OwnSends);
        Assert.All(peers.Where((_, i) => i != 1), p => Assert.Equal(0, p.OwnSends));
        WaitForUnitsCounted(attached, units);
        Assert.All(attached, s => Assert.Equal((units, 0L, 0L), (s.Stats.FramesSent, s.Stats.FramesDropped, s.Stats.SendFailures)));
        if (SegmentedDatagrams.Enabled)
        {
            // The IDR's full-size packets went as one segmented message: its refusal turns segmentation off.
            Assert.Equal(1, _port.SegmentationRefusals);
            Assert.False(_port.SegmentsDatagrams);
        }
    }

    [Fact]
    public void A_full_buffer_mid_batch_skips_the_sessions_it_stopped_to_the_next_idr_and_the_others_get_everything()
    {
        var peers = Enumerable.Range(0, 3).Select(_ => Peer()).ToArray();
        var attached = peers.Select(p => _feeds.Attach(_hub, p.Setup)).ToArray();
        Publish(keyframe: true, 5000);
        Assert.All(peers, peer => Assert.True(peer.ReceiveUntil(() => Markers(peer) == 1, Timeout)));

        // Sessions go in the order they attached: the batch stops at the second one's messages.
        _port.Refuse(peers[1].Address, Errno.EAGAIN, times: 1);
        Publish(keyframe: false, 3000);
        Publish(keyframe: false, 3000);
        Publish(keyframe: true, 5000);
        Publish(keyframe: false, 3000);

        Assert.True(peers[0].ReceiveUntil(() => Markers(peers[0]) == 5, Timeout), $"the first session got {Markers(peers[0])} of 5 frames");
        WaitForUnitsCounted(attached, 5);
        Assert.Equal((5, 0L), (attached[0].Stats.FramesSent, attached[0].Stats.FramesDropped));
        foreach (var (peer, session) in peers.Zip(attached).Skip(1))
        {
            // The frame the batch stopped at and the P-frame after it are dropped; the IDR resumes the session.
            Assert.True(peer.ReceiveUntil(() => Markers(peer) == 3, Timeout), $"got {Markers(peer)} of 3 frames");
            Assert.Equal((3, 2L, 1L), (session.Stats.FramesSent, session.Stats.FramesDropped, session.Stats.SendFailures));
            Assert.False(session.Stats.WaitingForKeyframe);
            Assert.Empty(peer.Replays);
            AssertGapless(peer.Rtp.ToArray());
        }
    }

    private static void AssertEveryFrameOnce(BrowserMediaPeer[] peers, int units)
    {
        foreach (var peer in peers)
        {
            Assert.True(peer.ReceiveUntil(() => Markers(peer) == units, Timeout), $"got {Markers(peer)} of {units} frames");
            Assert.Empty(peer.Replays);
            Assert.Equal(0, peer.Rejected);
            AssertGapless(peer.Rtp.ToArray());
        }
    }

    private static string[] Payloads(BrowserMediaPeer peer) => peer.Rtp.Select(p => Convert.ToHexString(p, 12, p.Length - 12)).ToArray();

    private BrowserMediaPeer Peer()
    {
        var peer = new BrowserMediaPeer(sharedPort: _port);
        _peers.Add(peer);
        return peer;
    }

    // An IDR of about 50 packets (more than a session's 32 slots: staged and sent in two goes), then P-frames.
    private void PublishLargeIdrAndFrames(int units)
    {
        Publish(keyframe: true, 60_000);
        for (var i = 1; i < units; i++)
        {
            Publish(keyframe: false, 3000);
        }
    }

    private void Publish(bool keyframe, int sliceLength) => WebRtcFeedTesting.Publish(_hub, _pool, ref _frame, keyframe, sliceLength);
}
