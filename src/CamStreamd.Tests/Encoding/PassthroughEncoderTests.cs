using CamStreamd.Encoding;
using CamStreamd.Media;
using CamStreamd.Media.H264;

namespace CamStreamd.Tests.Encoding;

public class PassthroughEncoderTests
{
    [Fact]
    public void Nal_units_in_equal_nal_units_out_with_the_frames_timestamps()
    {
        var source = H264Units(40, gop: 15);
        var (published, encoder) = PassThrough(source.Select(u => u.AnnexB));

        Assert.Equal(source.Count, published.Count);
        for (var i = 0; i < source.Count; i++)
        {
            Assert.Equal(source[i].AnnexB, published[i].AnnexB);
            Assert.Equal(source[i].IsKeyframe, published[i].IsKeyframe);
            Assert.Equal(i, published[i].FrameNumber);
            Assert.Equal(1000 + (i * 3000L), published[i].CaptureTimestamp);
        }

        Assert.Equal([0, 15, 30], published.Where(u => u.IsKeyframe).Select(u => (int)u.FrameNumber));
        Assert.Equal(40, encoder.UnitsPublished);
    }

    [Fact]
    public void An_idr_without_parameter_sets_gets_the_cached_ones_and_header_only_units_are_not_published()
    {
        var source = H264Units(31, gop: 15);
        var first = SplitNals(source[0].AnnexB);
        var sps = first.Single(n => AnnexBReader.NalType(n) == NalUnitType.Sps);
        var pps = first.Single(n => AnnexBReader.NalType(n) == NalUnitType.Pps);

        // Camera style: headers alone, then every IDR without them.
        var input = new List<byte[]> { Join([sps, pps]) };
        input.AddRange(source.Select(u => Join(SplitNals(u.AnnexB).Where(n => AnnexBReader.NalType(n) is not (NalUnitType.Sps or NalUnitType.Pps)))));
        var (published, encoder) = PassThrough(input);

        Assert.Equal(31, published.Count);
        Assert.Equal(32, encoder.FramesEncoded);
        foreach (var unit in published.Where(u => u.IsKeyframe))
        {
            FFmpegVideoEncoderTests.AssertKeyframeNals(FFmpegVideoEncoderTests.NalTypes(unit.AnnexB), (int)unit.FrameNumber);
            var nals = SplitNals(unit.AnnexB);
            Assert.Equal(sps, nals[0]);
            Assert.Equal(pps, nals[1]);
        }

        Assert.Equal(3, published.Count(u => u.IsKeyframe));
        Assert.All(published.Where(u => !u.IsKeyframe), u => Assert.DoesNotContain(NalUnitType.Sps, FFmpegVideoEncoderTests.NalTypes(u.AnnexB)));
    }

    [Fact]
    public void Raw_frames_are_refused_and_keyframe_requests_counted()
    {
        using var encoder = new PassthroughEncoder(new AccessUnitPool());
        var frame = new SyntheticFrames(64, 48, 30).Make(0);
        var e = Assert.Throws<ArgumentException>(() => encoder.Encode(frame, new CollectingSink()));
        Assert.Contains("I420", e.Message, StringComparison.Ordinal);
        encoder.RequestKeyframe();
        encoder.RequestKeyframe();
        Assert.Equal(2, encoder.KeyframeRequests);
        Assert.Equal("passthrough", encoder.Engine);
    }

    private static List<CollectingSink.Unit> H264Units(int count, int gop) =>
        FFmpegVideoEncoderTests.Encode(new EncoderSettings(160, 120, 30, 300_000, gop), count);

    private static (List<CollectingSink.Unit> Published, PassthroughEncoder Encoder) PassThrough(IEnumerable<byte[]> payloads)
    {
        var sink = new CollectingSink();
        var encoder = new PassthroughEncoder(new AccessUnitPool());
        var frame = new VideoFrame(new NullOwner());
        var index = 0;
        foreach (var payload in payloads)
        {
            frame.SetPayload(VideoPixelFormat.H264, 160, 120, payload);
            frame.FrameNumber = sink.Units.Count;
            frame.CaptureTimestamp = 1000 + (sink.Units.Count * 3000L);
            encoder.Encode(frame, sink);
            index++;
        }

        return (sink.Units, encoder);
    }

    private static List<byte[]> SplitNals(byte[] annexB)
    {
        var nals = new List<byte[]>();
        var reader = new AnnexBReader(annexB);
        while (reader.TryReadNext(out var nal))
        {
            nals.Add(nal.ToArray());
        }

        return nals;
    }

    private static byte[] Join(IEnumerable<byte[]> nals) => nals.SelectMany(n => (byte[])[0, 0, 0, 1, .. n]).ToArray();

    private sealed class NullOwner : IVideoFrameOwner
    {
        public void ReturnFrame(VideoFrame frame)
        {
        }
    }
}
