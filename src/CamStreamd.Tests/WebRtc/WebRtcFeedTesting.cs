using System.Buffers.Binary;
using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.Tests.Rtp;
using CamStreamd.WebRtc.Feed;

namespace CamStreamd.Tests.WebRtc;

/// <summary>What the WebRTC feed tests share: publishing test units into a hub, and reading what a browser peer got.</summary>
internal static class WebRtcFeedTesting
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    /// <summary>Waits, up to 10 s, for <paramref name="condition"/>; fails with <paramref name="failure"/> if it never holds.</summary>
    public static void WaitFor(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + WaitLimit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            Thread.Sleep(10);
        }
    }

    /// <summary>
    /// Waits until each session has counted <paramref name="units"/> units as sent or dropped: a peer
    /// can hold a frame's last packet before the dispatching thread (the feed's loop, at times) counts it.
    /// </summary>
    public static void WaitForUnitsCounted(IEnumerable<WebRtcMediaSession> sessions, int units)
    {
        foreach (var session in sessions)
        {
            WaitFor(() => session.Stats.FramesSent + session.Stats.FramesDropped >= units, $"the session counted {session.Stats.FramesSent} sent and {session.Stats.FramesDropped} dropped of {units} units");
        }
    }

    /// <summary>Frames a peer received in full (RTP marker bits).</summary>
    public static int Markers(BrowserMediaPeer peer) => peer.Rtp.Count(p => (p[1] & 0x80) != 0);

    /// <summary>Each packet's sequence number is the one before it plus one.</summary>
    public static void AssertGapless(byte[][] packets)
    {
        for (var i = 1; i < packets.Length; i++)
        {
            var previous = BinaryPrimitives.ReadUInt16BigEndian(packets[i - 1].AsSpan(2));
            Assert.Equal((ushort)(previous + 1), BinaryPrimitives.ReadUInt16BigEndian(packets[i].AsSpan(2)));
        }
    }

    /// <summary>Publishes frame <paramref name="frame"/> (then advanced): an IDR or a P-frame with one slice of <paramref name="sliceLength"/> bytes.</summary>
    public static void Publish(StreamHub hub, AccessUnitPool pool, ref long frame, bool keyframe, int sliceLength, long? capture = null)
    {
        var seed = (int)frame * 10;
        var nals = keyframe ? RtpTestStreams.Keyframe(sliceLength, seed) : RtpTestStreams.PFrame(sliceLength, seed);
        var unit = pool.Rent();
        unit.Set(RtpTestStreams.AnnexB(nals), capture ?? Stopwatch.GetTimestamp(), keyframe, frame++);
        hub.Publish(unit);
    }
}
