using CamStreamd.Media;

namespace CamStreamd.Capture;

/// <summary>
/// Converts camera frames (NV12, YUYV, strided I420) to tightly packed I420 for an encoder that
/// takes only that (x264 on this branch). Temporary: once the encoders convert with swscale
/// themselves, camera frames go to them unconverted and this class goes.
/// </summary>
internal static class I420Converter
{
    /// <summary>True when <paramref name="format"/> can be converted.</summary>
    public static bool CanConvert(VideoPixelFormat format) => format is VideoPixelFormat.I420 or VideoPixelFormat.Nv12 or VideoPixelFormat.Yuyv;

    /// <summary>Writes <paramref name="source"/> into <paramref name="target"/> (I420 of the same size); copies timestamps.</summary>
    public static void Convert(VideoFrame source, VideoFrame target)
    {
        if (source.Width != target.Width || source.Height != target.Height)
        {
            throw new ArgumentException($"frame is {source.Width}x{source.Height}, the stream {target.Width}x{target.Height}", nameof(source));
        }

        target.CaptureTimestamp = source.CaptureTimestamp;
        target.FrameNumber = source.FrameNumber;
        int width = source.Width, height = source.Height, cw = source.ChromaWidth, ch = source.ChromaHeight;
        switch (source.Format)
        {
            case VideoPixelFormat.I420:
                CopyPlane(source.Y, source.GetStride(0), target.Y, width, height);
                CopyPlane(source.U, source.GetStride(1), target.U, cw, ch);
                CopyPlane(source.V, source.GetStride(2), target.V, cw, ch);
                break;
            case VideoPixelFormat.Nv12:
                CopyPlane(source.Y, source.GetStride(0), target.Y, width, height);
                var uv = source.GetPlane(1).Span;
                var uvStride = source.GetStride(1);
                for (var r = 0; r < ch; r++)
                {
                    var row = uv.Slice(r * uvStride, cw * 2);
                    var u = target.U.Slice(r * cw, cw);
                    var v = target.V.Slice(r * cw, cw);
                    for (var c = 0; c < cw; c++)
                    {
                        u[c] = row[2 * c];
                        v[c] = row[(2 * c) + 1];
                    }
                }

                break;
            case VideoPixelFormat.Yuyv:
                var packed = source.GetPlane(0).Span;
                var stride = source.GetStride(0);
                for (var r = 0; r < height; r++)
                {
                    var row = packed.Slice(r * stride, width * 2);
                    var y = target.Y.Slice(r * width, width);
                    for (var c = 0; c < width; c++)
                    {
                        y[c] = row[2 * c];
                    }

                    // 4:2:2 to 4:2:0: chroma of the even rows.
                    if ((r & 1) == 0)
                    {
                        var u = target.U.Slice((r / 2) * cw, cw);
                        var v = target.V.Slice((r / 2) * cw, cw);
                        for (var c = 0; c < width / 2; c++)
                        {
                            u[c] = row[(4 * c) + 1];
                            v[c] = row[(4 * c) + 3];
                        }
                    }
                }

                break;
            default:
                throw new ArgumentException($"cannot convert {source.Format} to I420", nameof(source));
        }
    }

    private static void CopyPlane(ReadOnlySpan<byte> source, int sourceStride, Span<byte> target, int width, int height)
    {
        for (var r = 0; r < height; r++)
        {
            source.Slice(r * sourceStride, width).CopyTo(target.Slice(r * width, width));
        }
    }
}
