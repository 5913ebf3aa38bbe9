using CamStreamd.Media;

namespace CamStreamd.Http;

/// <summary>Copies a raw frame of any supported layout (I420, NV12, YUYV, with strides) into a tightly packed I420 frame of the same size.</summary>
internal static class I420Copier
{
    /// <summary>True for the raw layouts <see cref="Copy"/> takes.</summary>
    public static bool CanCopy(VideoPixelFormat format) => format is VideoPixelFormat.I420 or VideoPixelFormat.Nv12 or VideoPixelFormat.Yuyv;

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/> (tightly packed I420, same size).</summary>
    public static void Copy(VideoFrame source, VideoFrame destination)
    {
        var width = source.Width;
        var height = source.Height;
        var chromaWidth = source.ChromaWidth;
        var chromaHeight = source.ChromaHeight;
        var y = destination.Y;
        var u = destination.U;
        var v = destination.V;
        destination.CaptureTimestamp = source.CaptureTimestamp;
        destination.FrameNumber = source.FrameNumber;
        switch (source.Format)
        {
            case VideoPixelFormat.I420:
                CopyPlane(source.GetPlane(0).Span, source.GetStride(0), y, width, height);
                CopyPlane(source.GetPlane(1).Span, source.GetStride(1), u, chromaWidth, chromaHeight);
                CopyPlane(source.GetPlane(2).Span, source.GetStride(2), v, chromaWidth, chromaHeight);
                break;
            case VideoPixelFormat.Nv12:
                CopyPlane(source.GetPlane(0).Span, source.GetStride(0), y, width, height);
                var uv = source.GetPlane(1).Span;
                var uvStride = source.GetStride(1);
                for (var row = 0; row < chromaHeight; row++)
                {
                    var line = uv.Slice(row * uvStride, chromaWidth * 2);
                    for (var x = 0; x < chromaWidth; x++)
                    {
                        u[(row * chromaWidth) + x] = line[2 * x];
                        v[(row * chromaWidth) + x] = line[(2 * x) + 1];
                    }
                }

                break;
            case VideoPixelFormat.Yuyv:
                // Y0 U Y1 V per two pixels (4:2:2); 4:2:0 chroma takes every other line's samples.
                var packed = source.GetPlane(0).Span;
                var stride = source.GetStride(0);
                for (var row = 0; row < height; row++)
                {
                    var line = packed.Slice(row * stride, width * 2);
                    var lumaRow = y.Slice(row * width, width);
                    for (var x = 0; x < width; x++)
                    {
                        lumaRow[x] = line[2 * x];
                    }

                    if (row % 2 == 0)
                    {
                        var chromaRow = (row / 2) * chromaWidth;
                        for (var x = 0; x < chromaWidth && (4 * x) + 3 < line.Length; x++)
                        {
                            u[chromaRow + x] = line[(4 * x) + 1];
                            v[chromaRow + x] = line[(4 * x) + 3];
                        }
                    }
                }

                break;
            default:
                throw new ArgumentException($"cannot copy {source.Format} as I420", nameof(source));
        }
    }

    private static void CopyPlane(ReadOnlySpan<byte> source, int stride, Span<byte> destination, int width, int height)
    {
        if (stride == width)
        {
            source[..(width * height)].CopyTo(destination);
            return;
        }

        for (var row = 0; row < height; row++)
        {
            source.Slice(row * stride, width).CopyTo(destination.Slice(row * width, width));
        }
    }
}
