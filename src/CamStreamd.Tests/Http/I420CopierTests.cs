using CamStreamd.Http;
using CamStreamd.Media;

namespace CamStreamd.Tests.Http;

/// <summary>The MJPEG tap's copy of camera layouts (strided I420, NV12, YUYV) into packed I420.</summary>
public sealed class I420CopierTests
{
    private sealed class NoOwner : IVideoFrameOwner
    {
        public void ReturnFrame(VideoFrame frame)
        {
        }
    }

    [Fact]
    public void Nv12_with_stride_is_split_into_u_and_v()
    {
        // 4x2 luma, stride 6; one chroma row of 2 UV pairs, stride 6.
        byte[] y = [1, 2, 3, 4, 0, 0, 5, 6, 7, 8, 0, 0];
        byte[] uv = [10, 20, 11, 21, 0, 0];
        var source = new VideoFrame(new NoOwner());
        source.SetPlanes(VideoPixelFormat.Nv12, 4, 2, y, 6, uv, 6);
        var destination = new VideoFramePool(4, 2).Rent();

        I420Copier.Copy(source, destination);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], destination.Y.ToArray());
        Assert.Equal([10, 11], destination.U.ToArray());
        Assert.Equal([20, 21], destination.V.ToArray());
    }

    [Fact]
    public void Yuyv_takes_luma_from_every_row_and_chroma_from_even_rows()
    {
        // Y0 U Y1 V: 4x2 pixels, stride 8.
        byte[] packed = [1, 10, 2, 20, 3, 11, 4, 21, 5, 99, 6, 99, 7, 99, 8, 99];
        var source = new VideoFrame(new NoOwner());
        source.SetPlanes(VideoPixelFormat.Yuyv, 4, 2, packed, 8);
        var destination = new VideoFramePool(4, 2).Rent();

        I420Copier.Copy(source, destination);

        Assert.Equal([1, 2, 3, 4, 5, 6, 7, 8], destination.Y.ToArray());
        Assert.Equal([10, 11], destination.U.ToArray());
        Assert.Equal([20, 21], destination.V.ToArray());
    }

    [Fact]
    public void Compressed_frames_are_refused()
    {
        var source = new VideoFrame(new NoOwner());
        source.SetPayload(VideoPixelFormat.H264, 4, 2, new byte[8]);

        Assert.False(I420Copier.CanCopy(VideoPixelFormat.H264));
        Assert.Throws<ArgumentException>(() => I420Copier.Copy(source, new VideoFramePool(4, 2).Rent()));
    }
}
