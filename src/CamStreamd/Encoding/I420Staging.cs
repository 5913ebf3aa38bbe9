using CamStreamd.Interop.FFmpeg;
using CamStreamd.Media;

namespace CamStreamd.Encoding;

/// <summary>
/// An I420 picture at the encoder's size that <see cref="X264VideoEncoder"/> fills through the
/// existing <see cref="PictureConverter"/> (libswscale, the MJPEG decoder) when a frame is not
/// I420 at the stream's size: YUYV, NV12 and MJPEG cameras, or a camera that gave another size.
/// Made on the first such frame, so an I420 stream never loads libavcodec, libavutil or libswscale.
/// </summary>
internal sealed unsafe class I420Staging : IDisposable
{
    private readonly FFmpegLayout _layout;
    private readonly AVFrameHandle _frame;
    private readonly PictureConverter _converter;

    public I420Staging(int width, int height)
    {
        FFmpegLibraries.EnsureLoaded();
        _layout = FFmpegLibraries.Layout;
        _frame = AVFrameHandle.Allocate();
        try
        {
            _layout.SetFrameGeometry(_frame.DangerousGetHandle(), FFmpegConstants.AV_PIX_FMT_YUV420P, width, height);
            FFmpegException.ThrowIfError(LibAvUtil.av_frame_get_buffer(_frame, 0), nameof(LibAvUtil.av_frame_get_buffer));
        }
        catch
        {
            _frame.Dispose();
            throw;
        }

        _converter = new PictureConverter(_layout, width, height, FFmpegConstants.AV_PIX_FMT_YUV420P);
    }

    /// <summary>Frames converted so far.</summary>
    public long Conversions => _converter.Conversions;

    /// <summary>Converts (or copies) <paramref name="frame"/> into the staging picture.</summary>
    public void Write(VideoFrame frame) => _converter.Write(frame, _frame.DangerousGetHandle());

    /// <summary>The address of plane <paramref name="plane"/> (0 Y, 1 U, 2 V).</summary>
    public byte* Plane(int plane) => _layout.FrameData(_frame.DangerousGetHandle(), plane);

    /// <summary>The stride of plane <paramref name="plane"/> in bytes.</summary>
    public int Stride(int plane) => _layout.FrameLinesize(_frame.DangerousGetHandle(), plane);

    public void Dispose()
    {
        _converter.Dispose();
        _frame.Dispose();
    }
}
