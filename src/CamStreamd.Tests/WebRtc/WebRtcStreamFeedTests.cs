using System.Buffers.Binary;
using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.Tests.Rtp;
using CamStreamd.WebRtc.Feed;
using static CamStreamd.Tests.WebRtc.WebRtcFeedTesting;

namespace CamStreamd.Tests.WebRtc;

/// <summary>
/// The per-stream WebRTC feed over real loopback UDP with SRTP on both sides: one subscription
/// per stream, every session gets every packet under its own payload type, SSRC and gapless
/// sequence numbers; joins start on a young GOP or ask for an IDR; PLI/FIR, NACK, RR; a session
/// whose sends fail skips to the next IDR.
/// </summary>
public sealed class WebRtcStreamFeedTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly AccessUnitPool _pool = new();
    private readonly StreamHub _hub = new("cam", 640, 480, 30, 1 << 20, 300, preparer: null);
    private readonly WebRtcStreamFeeds _feeds = new();
    private readonly List<BrowserMediaPeer> _peers = [];
    private int _keyframeRequests;
    private long _frame;

    public WebRtcStreamFeedTests()
    {
        _hub.KeyframeRequested += () => Interlocked.Increment(ref _keyframeRequests);
    }

    public void Dispose()
    {
        _feeds.Dispose();
        _hub.Dispose();
        foreach (var peer in _peers)
        {
            peer.Dispose();
        }
    }

    [Fact]
    public void Three_sessions_share_one_subscription_and_each_gets_every_packet_under_its_own_identity()
    {
        var peers = new[] { Peer(102), Peer(96), Peer(127) };
        var sessions = peers.Select(p => _feeds.Attach(_hub, p.Setup)).ToArray();
        Assert.Equal(1, _hub.SubscriberCount);
        Assert.Equal(1, _feeds.ActiveFeeds);

        Publish(keyframe: true, 5000);
        for (var i = 0; i < 10; i++)
        {
            Publish(keyframe: false, 3000);
        }

        foreach (var (peer, session) in peers.Zip(sessions))
        {
            Assert.True(peer.ReceiveUntil(() => Markers(peer) == 11, Timeout), $"got {Markers(peer)} of 11 frames");
            var packets = peer.Rtp.ToArray();
            Assert.All(packets, p => Assert.True(p.Length <= WebRtcStreamFeed.MaxPacketLength, $"{p.Length}-byte packet"));
            Assert.All(packets, p => Assert.Equal(peer.Setup.PayloadType, p[1] & 0x7F));
            Assert.All(packets, p => Assert.Equal(session.Ssrc, BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(8))));
            AssertGapless(packets);
            Assert.Equal(7, packets[0][12] & 0x1F); // SPS first: the session started on the keyframe
        }

        // The same payloads everywhere: packetized once.
        var reference = peers[0].Rtp.Select(p => Convert.ToHexString(p, 12, p.Length - 12)).ToArray();
        Assert.All(peers.Skip(1), peer => Assert.Equal(reference, peer.Rtp.Select(p => Convert.ToHexString(p, 12, p.Length - 12)).ToArray()));
        WaitForUnitsCounted(sessions, 11);
        Assert.All(sessions, s => Assert.Equal(11, s.Stats.FramesSent));
    }

    [Fact]
    public void A_session_joining_a_young_gop_starts_on_its_keyframe_at_once()
    {
        Publish(keyframe: true, 4000);
        Publish(keyframe: false, 2000);
        var first = Peer();
        var firstSession = _feeds.Attach(_hub, first.Setup);
        Assert.True(first.ReceiveUntil(() => Markers(first) == 2, Timeout), "the first session did not get the hub's cached GOP");
        var requestsBefore = Volatile.Read(ref _keyframeRequests);

        var late = Peer();
        var lateSession = _feeds.Attach(_hub, late.Setup);
        Publish(keyframe: false, 2000);

        Assert.True(late.ReceiveUntil(() => Markers(late) == 3, Timeout), $"the late session got {Markers(late)} of 3 frames");
        Assert.Equal(7, late.Rtp.First()[12] & 0x1F);
        AssertGapless(late.Rtp.ToArray());
        Assert.Equal(requestsBefore, Volatile.Read(ref _keyframeRequests));
        Assert.False(lateSession.Stats.WaitingForKeyframe);
        Assert.False(firstSession.Stats.WaitingForKeyframe);
    }

    [Fact]
    public void An_old_gop_is_not_replayed_the_session_asks_for_an_idr_and_starts_on_it()
    {
        var twoSecondsAgo = Stopwatch.GetTimestamp() - (2 * Stopwatch.Frequency);
        Publish(keyframe: true, 4000, twoSecondsAgo);
        Publish(keyframe: false, 2000, twoSecondsAgo + (Stopwatch.Frequency / 30));
        var peer = Peer();
        var session = _feeds.Attach(_hub, peer.Setup);
        Publish(keyframe: false, 2000);

        WaitFor(() => Volatile.Read(ref _keyframeRequests) > 0 && session.Stats.FramesDropped >= 3, "the old GOP was neither skipped nor an IDR asked for");
        Assert.True(session.Stats.WaitingForKeyframe);
        Assert.False(peer.ReceiveUntil(() => !peer.Rtp.IsEmpty, TimeSpan.FromMilliseconds(300)), "an old GOP was sent");

        Publish(keyframe: true, 4000);
        Assert.True(peer.ReceiveUntil(() => Markers(peer) == 1, Timeout), $"{session.Stats} rtp {peer.Rtp.Count} rejected {peer.Rejected} replays {peer.Replays.Count}");
        Assert.Equal(7, peer.Rtp.First()[12] & 0x1F);
        Assert.Equal(1, session.Stats.KeyframeRequests);
    }

    [Fact]
    public void Pli_and_fir_storms_ask_for_one_idr_a_second()
    {
        Publish(keyframe: true, 3000);
        var peer = Peer();
        var session = _feeds.Attach(_hub, peer.Setup);
        Assert.True(peer.ReceiveUntil(() => Markers(peer) == 1, Timeout));
        var before = Volatile.Read(ref _keyframeRequests);

        for (var i = 0; i < 5; i++)
        {
            peer.SendPli(session);
        }

        Assert.Equal(5, session.Stats.PlisReceived);
        Assert.Equal(1, Volatile.Read(ref _keyframeRequests) - before);
        Assert.Equal(1, session.Stats.KeyframeRequests);
    }

    [Fact]
    public void A_nack_is_answered_from_the_stream_history_with_the_same_packets()
    {
        Publish(keyframe: true, 6000);
        var peer = Peer();
        var session = _feeds.Attach(_hub, peer.Setup);
        Assert.True(peer.ReceiveUntil(() => Markers(peer) == 1, Timeout));
        var datagrams = peer.Datagrams.ToArray();
        Assert.True(datagrams.Length >= 4);
        var lost = BinaryPrimitives.ReadUInt16BigEndian(datagrams[1].AsSpan(2));

        // PID = packet 1, BLP bit 0 = packet 2.
        peer.SendNack(session, lost, 0x0001);

        Assert.True(peer.ReceiveUntil(() => peer.Replays.Count == 2, Timeout), $"{peer.Replays.Count} of 2 packets resent");
        var resent = peer.Replays.ToArray();
        Assert.Equal(datagrams[1], resent[0]);
        Assert.Equal(datagrams[2], resent[1]);
        Assert.Equal(1, session.Stats.NacksReceived);
        Assert.Equal(2, session.Stats.PacketsResent);

        // A sequence number never sent is not in the history.
        peer.SendNack(session, (ushort)(lost + 1000), 0);
        Assert.Equal(1, session.Stats.PacketsNotInHistory);
    }

    [Fact]
    public void Sender_reports_go_out_and_a_receiver_report_gives_the_round_trip_time()
    {
        Publish(keyframe: true, 3000);
        var peer = Peer();
        var session = _feeds.Attach(_hub, peer.Setup);
        Assert.True(peer.ReceiveUntil(() => !peer.Rtcp.IsEmpty, Timeout), "no sender report");
        var report = peer.Rtcp.First();
        Assert.Equal(200, report[1]);
        Assert.Equal(session.Ssrc, BinaryPrimitives.ReadUInt32BigEndian(report.AsSpan(4)));
        Assert.True(BinaryPrimitives.ReadUInt32BigEndian(report.AsSpan(20)) > 0, "SR packet count is 0");
        var lastSenderReport = (uint)(BinaryPrimitives.ReadUInt64BigEndian(report.AsSpan(8)) >> 16);

        peer.SendReceiverReport(session, lastSenderReport, delay: 0);

        var rtt = session.Stats.RoundTripMilliseconds;
        Assert.NotNull(rtt);
        Assert.InRange(rtt.Value, 0, Timeout.TotalMilliseconds);
        Assert.Equal(3, session.Stats.FractionLost);
    }

    [Fact]
    public void A_session_whose_sends_fail_skips_to_the_next_idr_and_keeps_its_numbers_gapless()
    {
        Publish(keyframe: true, 3000);
        var refusing = false;
        var peer = Peer();
        peer.Refuse = () => Volatile.Read(ref refusing);
        var session = _feeds.Attach(_hub, peer.Setup);
        Assert.True(peer.ReceiveUntil(() => Markers(peer) == 1, Timeout));
        var requestsBefore = Volatile.Read(ref _keyframeRequests);

        Volatile.Write(ref refusing, true);
        Publish(keyframe: false, 3000);
        Publish(keyframe: false, 3000);
        WaitFor(() => session.Stats.FramesDropped >= 2, "the failed sends were not counted as drops");
        Assert.True(session.Stats.WaitingForKeyframe);
        Assert.True(session.Stats.SendFailures >= 1);
        Assert.True(Volatile.Read(ref _keyframeRequests) > requestsBefore, "no IDR asked for");

        Volatile.Write(ref refusing, false);
        Publish(keyframe: false, 3000);
        Publish(keyframe: true, 3000);
        Assert.True(peer.ReceiveUntil(() => Markers(peer) == 2, Timeout));
        var packets = peer.Rtp.ToArray();
        AssertGapless(packets);
        Assert.False(session.Stats.WaitingForKeyframe);
        Assert.Equal(3, session.Stats.FramesDropped);
    }

    [Fact]
    public void Forged_or_garbage_srtcp_is_counted_and_ignored()
    {
        Publish(keyframe: true, 3000);
        var peer = Peer();
        var session = _feeds.Attach(_hub, peer.Setup);
        Assert.True(peer.ReceiveUntil(() => Markers(peer) == 1, Timeout));
        var before = Volatile.Read(ref _keyframeRequests);
        var random = new Random(16);
        for (var i = 0; i < 200; i++)
        {
            var datagram = new byte[random.Next(0, 1600)];
            random.NextBytes(datagram);
            BrowserMediaPeer.DeliverRaw(session, datagram);
        }

        Assert.Equal(200, session.Stats.RtcpRejected);
        Assert.Equal(0, session.Stats.RtcpReceived);
        Assert.Equal(before, Volatile.Read(ref _keyframeRequests));
    }

    [Fact]
    public void The_publishing_thread_sends_each_unit_to_the_sessions_itself()
    {
        var peer = Peer();
        var session = _feeds.Attach(_hub, peer.Setup);
        Publish(keyframe: true, 5000);
        WaitFor(() => session.Stats.FramesSent == 1, "the session did not start on the keyframe");

        // Which thread sends each datagram: the publisher's (this test's), or the feed's loop.
        var publisher = Environment.CurrentManagedThreadId;
        var byPublisher = 0;
        var byOthers = 0;
        peer.Refuse = () =>
        {
            Interlocked.Increment(ref Environment.CurrentManagedThreadId == publisher ? ref byPublisher : ref byOthers);
            return false;
        };

        // No thread wakes per frame. The feed's loop may hold the dispatch now and then (it then
        // sends that unit), so most datagrams, not all, go from the publisher.
        const int units = 60;
        for (var i = 0; i < units; i++)
        {
            Publish(keyframe: false, 3000);
        }

        Assert.True(peer.ReceiveUntil(() => Markers(peer) == units + 1, Timeout), $"got {Markers(peer)} of {units + 1} frames");
        AssertGapless(peer.Rtp.ToArray());
        Assert.True(byPublisher >= (byPublisher + byOthers) * 8 / 10, $"{byPublisher} datagrams sent by the publishing thread, {byOthers} by others");
    }

    [Fact]
    public async Task The_last_session_leaving_stops_the_feed_and_a_stopping_stream_ends_its_sessions()
    {
        var peer = Peer();
        var session = _feeds.Attach(_hub, peer.Setup);
        Assert.Equal(1, _hub.SubscriberCount);
        session.Dispose();
        WaitFor(() => _hub.SubscriberCount == 0 && _feeds.ActiveFeeds == 0, "the feed kept its subscription");

        var again = _feeds.Attach(_hub, Peer().Setup);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        again.Ended += () => ended.TrySetResult();
        _hub.Dispose();

        await ended.Task.WaitAsync(Timeout);
        Assert.True(again.IsEnded);
        WaitFor(() => _feeds.ActiveFeeds == 0, "the feed outlived its stream");
    }

    private BrowserMediaPeer Peer(byte payloadType = 102)
    {
        var peer = new BrowserMediaPeer(payloadType);
        _peers.Add(peer);
        return peer;
    }

    private void Publish(bool keyframe, int sliceLength, long? capture = null) =>
        WebRtcFeedTesting.Publish(_hub, _pool, ref _frame, keyframe, sliceLength, capture);
}
