using System.Buffers;
using System.Runtime.InteropServices;
using CamStreamd.Interop.Libc;

namespace CamStreamd.Interop.V4l2;

/// <summary>
/// A V4L2 device node opened with <c>O_RDWR | O_NONBLOCK | O_CLOEXEC</c>. Every ioctl goes through
/// <see cref="Call{T}"/>, which retries EINTR and turns other errors into <see cref="LibcException"/>.
/// Ioctls may come from several threads (the capture thread dequeues, consumers queue back); the
/// kernel serialises them per queue.
/// </summary>
public sealed unsafe class V4l2Device : IV4l2Device
{
    private readonly FileDescriptorHandle _fd;

    private V4l2Device(string path, FileDescriptorHandle fd)
    {
        Path = path;
        _fd = fd;
    }

    /// <inheritdoc/>
    public string Path { get; }

    /// <summary>Opens <paramref name="path"/>.</summary>
    /// <exception cref="LibcException">The node is missing (ENOENT), busy or not accessible.</exception>
    public static V4l2Device Open(string path) =>
        new(path, FileDescriptorHandle.Open(path, LibcNative.O_RDWR | LibcNative.O_NONBLOCK | LibcNative.O_CLOEXEC));

    /// <inheritdoc/>
    public V4l2Capability QueryCapability()
    {
        var capability = default(V4l2Capability);
        Call(V4l2Ioctl.QueryCap, ref capability);
        return capability;
    }

    /// <inheritdoc/>
    public bool EnumFormat(ref V4l2FmtDesc description) => CallEnum(V4l2Ioctl.EnumFmt, ref description);

    /// <inheritdoc/>
    public bool EnumFrameSizes(ref V4l2FrameSizeEntry size) => CallEnum(V4l2Ioctl.EnumFrameSizes, ref size);

    /// <inheritdoc/>
    public bool EnumFrameIntervals(ref V4l2FrameIntervalEntry interval) => CallEnum(V4l2Ioctl.EnumFrameIntervals, ref interval);

    /// <inheritdoc/>
    public void GetFormat(ref V4l2Format format) => Call(V4l2Ioctl.GFmt, ref format);

    /// <inheritdoc/>
    public void SetFormat(ref V4l2Format format) => Call(V4l2Ioctl.SFmt, ref format);

    /// <inheritdoc/>
    public void GetParm(ref V4l2StreamParm parm) => Call(V4l2Ioctl.GParm, ref parm);

    /// <inheritdoc/>
    public void SetParm(ref V4l2StreamParm parm) => Call(V4l2Ioctl.SParm, ref parm);

    /// <inheritdoc/>
    public void RequestBuffers(ref V4l2RequestBuffers request) => Call(V4l2Ioctl.ReqBufs, ref request);

    /// <inheritdoc/>
    public void QueryBuffer(ref V4l2Buffer buffer, Span<V4l2Plane> planes) => CallBuffer(V4l2Ioctl.QueryBuf, ref buffer, planes);

    /// <inheritdoc/>
    public void QueueBuffer(ref V4l2Buffer buffer, Span<V4l2Plane> planes) => CallBuffer(V4l2Ioctl.QBuf, ref buffer, planes);

    /// <inheritdoc/>
    public bool DequeueBuffer(ref V4l2Buffer buffer, Span<V4l2Plane> planes)
    {
        try
        {
            CallBuffer(V4l2Ioctl.DQBuf, ref buffer, planes);
            return true;
        }
        catch (LibcException e) when (e.ErrorNumber == Errno.EAGAIN)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public SafeHandle ExportBuffer(uint type, uint index, uint plane)
    {
        var export = new V4l2ExportBuffer { Type = type, Index = index, Plane = plane, Flags = LibcNative.O_CLOEXEC | LibcNative.O_RDWR };
        Call(V4l2Ioctl.ExpBuf, ref export);
        var handle = new FileDescriptorHandle();
        Marshal.InitHandle(handle, export.Fd);
        return handle;
    }

    /// <inheritdoc/>
    public void StreamOn(uint type) => Call(V4l2Ioctl.StreamOn, ref type);

    /// <inheritdoc/>
    public void StreamOff(uint type) => Call(V4l2Ioctl.StreamOff, ref type);

    /// <inheritdoc/>
    public V4l2PollResult Poll(int timeoutMilliseconds)
    {
        var added = false;
        _fd.DangerousAddRef(ref added);
        try
        {
            var poll = new PollFd { Fd = _fd.Fd, Events = PollFd.POLLIN };
            int result;
            do
            {
                result = LibcNative.Poll(&poll, 1, timeoutMilliseconds);
            }
            while (result < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);

            if (result < 0)
            {
                throw Errno.Last("poll", Path);
            }

            if ((poll.ReturnedEvents & (PollFd.POLLERR | PollFd.POLLHUP | PollFd.POLLNVAL)) != 0)
            {
                return V4l2PollResult.Error;
            }

            return result == 0 ? V4l2PollResult.Timeout : V4l2PollResult.Ready;
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }

    /// <inheritdoc/>
    public IMemoryOwner<byte> Map(uint offset, int length) => new MappedMemory(MemoryMappingHandle.Map(_fd, offset, length, Path));

    /// <inheritdoc/>
    public void Dispose() => _fd.Dispose();

    private bool CallEnum<T>(uint request, ref T argument)
        where T : unmanaged
    {
        try
        {
            Call(request, ref argument);
            return true;
        }
        catch (LibcException e) when (e.ErrorNumber == Errno.EINVAL)
        {
            // The documented end of an ENUM_* list.
            return false;
        }
    }

    private void CallBuffer(uint request, ref V4l2Buffer buffer, Span<V4l2Plane> planes)
    {
        if (buffer.Type != V4l2Constants.BufTypeVideoCaptureMplane)
        {
            Call(request, ref buffer);
            return;
        }

        // Multi-planar: m.planes points at the caller's array and length says how many entries it has.
        fixed (V4l2Plane* array = planes)
        {
            buffer.Planes = (nint)array;
            buffer.Length = (uint)planes.Length;
            Call(request, ref buffer);
            buffer.Planes = 0;
        }
    }

    private void Call<T>(uint request, ref T argument)
        where T : unmanaged
    {
        var added = false;
        _fd.DangerousAddRef(ref added);
        try
        {
            fixed (T* pointer = &argument)
            {
                int result;
                do
                {
                    result = LibcNative.Ioctl(_fd.Fd, request, pointer);
                }
                while (result < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);

                if (result < 0)
                {
                    throw Errno.Last(V4l2Ioctl.Name(request), Path);
                }
            }
        }
        finally
        {
            if (added)
            {
                _fd.DangerousRelease();
            }
        }
    }
}
