using System.Buffers;
using System.Runtime.InteropServices;

namespace CamStreamd.Interop.V4l2;

/// <summary>
/// One open V4L2 device node at the ioctl boundary: each member is one ioctl (or mmap/poll) with
/// the kernel's struct, so a fake can stand in for a camera in tests. Failures throw
/// <see cref="Libc.LibcException"/> carrying errno; the ENUM_* calls return false at the end of
/// their list (EINVAL), DQBUF returns false when no buffer is ready (EAGAIN).
/// </summary>
public interface IV4l2Device : IDisposable
{
    /// <summary>The device node (<c>/dev/video0</c>).</summary>
    string Path { get; }

    /// <summary>VIDIOC_QUERYCAP.</summary>
    V4l2Capability QueryCapability();

    /// <summary>VIDIOC_ENUM_FMT; false past the last format.</summary>
    bool EnumFormat(ref V4l2FmtDesc description);

    /// <summary>VIDIOC_ENUM_FRAMESIZES; false past the last size.</summary>
    bool EnumFrameSizes(ref V4l2FrameSizeEntry size);

    /// <summary>VIDIOC_ENUM_FRAMEINTERVALS; false past the last interval.</summary>
    bool EnumFrameIntervals(ref V4l2FrameIntervalEntry interval);

    /// <summary>VIDIOC_G_FMT.</summary>
    void GetFormat(ref V4l2Format format);

    /// <summary>VIDIOC_S_FMT (the driver adjusts the struct to what it will deliver).</summary>
    void SetFormat(ref V4l2Format format);

    /// <summary>VIDIOC_G_PARM.</summary>
    void GetParm(ref V4l2StreamParm parm);

    /// <summary>VIDIOC_S_PARM.</summary>
    void SetParm(ref V4l2StreamParm parm);

    /// <summary>VIDIOC_REQBUFS.</summary>
    void RequestBuffers(ref V4l2RequestBuffers request);

    /// <summary>VIDIOC_QUERYBUF; <paramref name="planes"/> receives the planes of multi-planar types.</summary>
    void QueryBuffer(ref V4l2Buffer buffer, Span<V4l2Plane> planes);

    /// <summary>VIDIOC_QBUF: hands the buffer to the driver.</summary>
    void QueueBuffer(ref V4l2Buffer buffer, Span<V4l2Plane> planes);

    /// <summary>VIDIOC_DQBUF (non-blocking): false when no filled buffer is ready.</summary>
    bool DequeueBuffer(ref V4l2Buffer buffer, Span<V4l2Plane> planes);

    /// <summary>VIDIOC_EXPBUF: the plane as a DMABUF file descriptor the caller owns.</summary>
    SafeHandle ExportBuffer(uint type, uint index, uint plane);

    /// <summary>VIDIOC_STREAMON.</summary>
    void StreamOn(uint type);

    /// <summary>VIDIOC_STREAMOFF (returns every buffer to the application).</summary>
    void StreamOff(uint type);

    /// <summary>poll(2) for POLLIN with a timeout in milliseconds.</summary>
    V4l2PollResult Poll(int timeoutMilliseconds);

    /// <summary>mmap(2) of <paramref name="length"/> bytes at the buffer's <paramref name="offset"/>; disposing unmaps.</summary>
    IMemoryOwner<byte> Map(uint offset, int length);
}
