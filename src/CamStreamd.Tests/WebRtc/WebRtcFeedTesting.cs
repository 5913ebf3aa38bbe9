using System.Buffers.Binary;
using System.Diagnostics;
using CamStreamd.Media;
using CamStreamd.Tests.Rtp;

namespace CamStreamd.Tests.WebRtc;

/// <summary>What the WebRTC feed tests share: publishing test units into a hub, and reading what a browser peer got.</summary>
internal static class WebRtcFeedTesting
{
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
