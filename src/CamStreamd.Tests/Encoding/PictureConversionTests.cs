using CamStreamd.Configuration;
using CamStreamd.Encoding;
using CamStreamd.Media;

namespace CamStreamd.Tests.Encoding;

/// <summary>
/// I420, NV12, YUYV and MJPEG frames into x264: a flat colour goes in, ffmpeg decodes the H.264,
/// and the decoded planes must hold the same colour (so strides, plane order, chroma siting, the
/// JPEG full-range conversion and pictures lent without a copy are right).
/// </summary>
public sealed class PictureConversionTests : IDisposable
{
    private const int Width = 320;
    private const int Height = 240;

    // Limited-range YUV of a purple-ish colour; distinct values catch swapped planes.
    private const byte Y = 120;
    private const byte U = 170;
    private const byte V = 70;

    private readonly string _directory = Directory.CreateTempSubdirectory("camstreamd-convert-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(VideoPixelFormat.I420, VideoPixelFormat.I420, 0, 10)] // lent to x264 in place, padded strides and all
    [InlineData(VideoPixelFormat.Nv12, VideoPixelFormat.Nv12, 0, 10)] // x264 takes NV12 as is: no swscale, no copy
    [InlineData(VideoPixelFormat.Nv12, VideoPixelFormat.I420, 10, 0)] // opened for I420: NV12 goes through swscale
    [InlineData(VideoPixelFormat.Yuyv, VideoPixelFormat.Yuyv, 10, 0)] // x264 has no YUYV: always swscale
    public void Raw_formats_with_padded_strides_encode_to_the_same_colour(VideoPixelFormat format, VideoPixelFormat openedFor, int conversions, int lent)
    {
        var frame = RawFrame(format);
        var (units, encoder) = EncodeFrames(frame, openedFor, 10);
        Assert.Equal(conversions, encoder.Conversions);
        Assert.Equal(lent, encoder.Lent);
        AssertDecodedColour(units, tolerance: 2);
    }

    [Fact]
    public void A_lent_picture_is_the_encoders_no_longer_once_encode_returns()
    {
        // x264 must have its own copy when Encode returns: the first picture is overwritten at
        // once (as a pool or a driver reuses a buffer), yet it decodes as it was.
        var frame = RawFrame(VideoPixelFormat.I420);
        var settings = new EncoderSettings(Width, Height, 30, 1_000_000, 30);
        var sink = new CollectingSink();
        using (var encoder = new FFmpegVideoEncoder(EncoderEngines.X264, settings, new AccessUnitPool()))
        {
            for (var i = 0; i < 10; i++)
            {
                frame.FrameNumber = i;
                frame.CaptureTimestamp = i * 3000;
                encoder.Encode(frame, sink);
                frame.GetPlane(0).Span.Fill(16);
                frame.GetPlane(1).Span.Fill(128);
                frame.GetPlane(2).Span.Fill(128);
            }

            Assert.Equal(10, encoder.PicturesLent);
        }

        AssertDecodedColour(sink.Units, tolerance: 2);
    }

    [Fact]
    public void Mjpeg_frames_are_decoded_then_converted_from_full_range()
    {
        // The JPEG is made by ffmpeg from a raw 4:2:2 picture of the colour (UVC cameras send 4:2:2 JPEGs).
        var raw = Path.Combine(_directory, "in.yuv");
        var plane = Width * Height;
        var bytes = new byte[plane * 2];
        bytes.AsSpan(0, plane).Fill(Y);
        bytes.AsSpan(plane, plane / 2).Fill(U);
        bytes.AsSpan(plane + (plane / 2), plane / 2).Fill(V);
        File.WriteAllBytes(raw, bytes);
        var jpegPath = Path.Combine(_directory, "in.jpg");
        var make = PeerProcess.Run("ffmpeg", ["-nostdin", "-v", "error", "-f", "rawvideo", "-pix_fmt", "yuv422p", "-s", $"{Width}x{Height}",
            "-i", raw, "-frames:v", "1", "-c:v", "mjpeg", "-pix_fmt", "yuvj422p", "-q:v", "2", "-y", jpegPath], "ffmpeg");
        Assert.True(make.ExitCode == 0, make.StandardError);

        var owner = new NullOwner();
        var frame = new VideoFrame(owner);
        frame.SetPayload(VideoPixelFormat.Mjpeg, Width, Height, File.ReadAllBytes(jpegPath));
        var (units, encoder) = EncodeFrames(frame, VideoPixelFormat.Mjpeg, 5);
        Assert.Equal(5, encoder.Conversions);
        Assert.Equal(0, encoder.Lent);
        AssertDecodedColour(units, tolerance: 3);
    }

    private static VideoFrame RawFrame(VideoPixelFormat format)
    {
        // Strides wider than the picture, as V4L2 drivers align them.
        const int Pad = 64;
        var frame = new VideoFrame(new NullOwner());
        if (format == VideoPixelFormat.Nv12)
        {
            var luma = Filled((Width + Pad) * Height, Y);
            var chroma = new byte[(Width + Pad) * Height / 2];
            for (var i = 0; i < chroma.Length; i += 2)
            {
                chroma[i] = U;
                chroma[i + 1] = V;
            }

            frame.SetPlanes(format, Width, Height, luma, Width + Pad, chroma, Width + Pad);
        }
        else if (format == VideoPixelFormat.I420)
        {
            var chromaStride = (Width / 2) + Pad;
            frame.SetPlanes(format, Width, Height, Filled((Width + Pad) * Height, Y), Width + Pad,
                Filled(chromaStride * Height / 2, U), chromaStride, Filled(chromaStride * Height / 2, V), chromaStride);
        }
        else
        {
            var stride = (2 * Width) + Pad;
            var packed = new byte[stride * Height];
            for (var row = 0; row < Height; row++)
            {
                for (var x = 0; x < Width * 2; x += 4)
                {
                    var at = (row * stride) + x;
                    (packed[at], packed[at + 1], packed[at + 2], packed[at + 3]) = (Y, U, Y, V);
                }
            }

            frame.SetPlanes(format, Width, Height, packed, stride);
        }

        return frame;
    }

    private static byte[] Filled(int length, byte value)
    {
        var bytes = new byte[length];
        bytes.AsSpan().Fill(value);
        return bytes;
    }

    private static (List<CollectingSink.Unit> Units, (long Conversions, long Lent) Encoder) EncodeFrames(VideoFrame frame, VideoPixelFormat openedFor, int count)
    {
        var settings = new EncoderSettings(Width, Height, 30, 1_000_000, 30) { InputFormat = openedFor };
        var sink = new CollectingSink();
        using var encoder = new FFmpegVideoEncoder(EncoderEngines.X264, settings, new AccessUnitPool());
        for (var i = 0; i < count; i++)
        {
            frame.FrameNumber = i;
            frame.CaptureTimestamp = i * 3000;
            encoder.Encode(frame, sink);
        }

        Assert.Equal(count, sink.Units.Count);
        return (sink.Units, (encoder.Conversions, encoder.PicturesLent));
    }

    private void AssertDecodedColour(List<CollectingSink.Unit> units, int tolerance)
    {
        var h264 = Path.Combine(_directory, $"{Guid.NewGuid():N}.h264");
        File.WriteAllBytes(h264, units.SelectMany(u => u.AnnexB).ToArray());
        var yuv = Path.Combine(_directory, $"{Guid.NewGuid():N}.yuv");
        var decode = PeerProcess.Run("ffmpeg", ["-nostdin", "-v", "error", "-i", h264, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-y", yuv], "ffmpeg");
        Assert.True(decode.ExitCode == 0, decode.StandardError);
        var picture = File.ReadAllBytes(yuv);
        var luma = Width * Height;
        Assert.Equal(luma * 3 / 2, picture.Length);
        AssertNear("Y", Y, picture.AsSpan(0, luma), tolerance);
        AssertNear("U", U, picture.AsSpan(luma, luma / 4), tolerance);
        AssertNear("V", V, picture.AsSpan(luma + (luma / 4), luma / 4), tolerance);
    }

    private static void AssertNear(string plane, byte expected, ReadOnlySpan<byte> values, int tolerance)
    {
        long sum = 0;
        foreach (var value in values)
        {
            sum += value;
        }

        var mean = (double)sum / values.Length;
        Assert.True(Math.Abs(mean - expected) <= tolerance, $"{plane} plane mean {mean:F1}, expected {expected} ± {tolerance}");
    }

    private sealed class NullOwner : IVideoFrameOwner
    {
        public void ReturnFrame(VideoFrame frame)
        {
        }
    }
}
