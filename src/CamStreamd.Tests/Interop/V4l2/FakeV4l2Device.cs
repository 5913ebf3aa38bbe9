using System.Buffers;
using System.Runtime.InteropServices;
using CamStreamd.Interop.Libc;
using CamStreamd.Interop.V4l2;

namespace CamStreamd.Tests.Interop.V4l2;

/// <summary>
/// A camera at the ioctl boundary: formats with discrete sizes and rates, MMAP buffers in managed
/// memory, a queue the test fills with <see cref="Deliver"/>, and <see cref="Unplug"/> (ENODEV).
/// Single-planar unless <see cref="Multiplanar"/>.
/// </summary>
internal sealed class FakeV4l2Device : IV4l2Device
{
    private readonly object _gate = new();
    private readonly Queue<uint> _queued = new();
    private readonly Queue<(uint Index, uint Sequence, long Microseconds)> _done = new();
    private byte[][] _buffers = [];
    private uint _sequence;

    public FakeV4l2Device(string path) => Path = path;

    public string Path { get; }

    public bool Multiplanar { get; init; }

    public string Driver { get; init; } = "fakecam";

    /// <summary>Offered formats: fourcc → (width, height, rates).</summary>
    public List<(uint FourCc, List<(int Width, int Height)> Sizes, double[] Rates)> Formats { get; } = [];

    public uint CurrentFourCc { get; private set; }

    public int CurrentWidth { get; private set; }

    public int CurrentHeight { get; private set; }

    public double CurrentFps { get; private set; } = 30;

    public bool Streaming { get; private set; }

    public bool Gone { get; private set; }

    public bool Disposed { get; private set; }

    public int BufferSize => CurrentWidth * CurrentHeight * 2;

    /// <summary>Buffers the driver holds (queued, not yet filled).</summary>
    public int QueuedCount
    {
        get
        {
            lock (_gate)
            {
                return _queued.Count;
            }
        }
    }

    public int QueueCalls { get; private set; }

    /// <summary>Fills the oldest queued buffer with <paramref name="value"/> bytes; false when none is queued.</summary>
    public bool Deliver(byte value, long monotonicMicroseconds = 0)
    {
        lock (_gate)
        {
            if (!_queued.TryDequeue(out var index))
            {
                return false;
            }

            _buffers[index].AsSpan().Fill(value);
            _done.Enqueue((index, _sequence++, monotonicMicroseconds));
            return true;
        }
    }

    /// <summary>The device disappears: every later call fails with ENODEV, poll reports POLLERR.</summary>
    public void Unplug() => Gone = true;

    public V4l2Capability QueryCapability()
    {
        Check("VIDIOC_QUERYCAP");
        var cap = default(V4l2Capability);
        unsafe
        {
            var name = System.Text.Encoding.ASCII.GetBytes(Driver);
            for (var i = 0; i < name.Length; i++)
            {
                cap.Driver[i] = name[i];
                cap.Card[i] = name[i];
            }
        }

        cap.Capabilities = V4l2Constants.CapDeviceCaps | V4l2Constants.CapStreaming | (Multiplanar ? V4l2Constants.CapVideoCaptureMplane : V4l2Constants.CapVideoCapture);
        cap.DeviceCaps = cap.Capabilities & ~V4l2Constants.CapDeviceCaps;
        return cap;
    }

    public bool EnumFormat(ref V4l2FmtDesc description)
    {
        Check("VIDIOC_ENUM_FMT");
        if (description.Index >= Formats.Count)
        {
            return false;
        }

        description.PixelFormat = Formats[(int)description.Index].FourCc;
        return true;
    }

    public bool EnumFrameSizes(ref V4l2FrameSizeEntry size)
    {
        Check("VIDIOC_ENUM_FRAMESIZES");
        var pixelFormat = size.PixelFormat;
        var format = Formats.Find(f => f.FourCc == pixelFormat);
        if (format.Sizes is null || size.Index >= format.Sizes.Count)
        {
            return false;
        }

        size.Type = V4l2Constants.FrmTypeDiscrete;
        (size.Width, size.Height) = ((uint)format.Sizes[(int)size.Index].Width, (uint)format.Sizes[(int)size.Index].Height);
        return true;
    }

    public bool EnumFrameIntervals(ref V4l2FrameIntervalEntry interval)
    {
        Check("VIDIOC_ENUM_FRAMEINTERVALS");
        var pixelFormat = interval.PixelFormat;
        var format = Formats.Find(f => f.FourCc == pixelFormat);
        if (format.Rates is null || interval.Index >= format.Rates.Length)
        {
            return false;
        }

        interval.Type = V4l2Constants.FrmTypeDiscrete;
        interval.Discrete = new V4l2Fract { Numerator = 1000, Denominator = (uint)(format.Rates[interval.Index] * 1000) };
        return true;
    }

    public void GetFormat(ref V4l2Format format) => Check("VIDIOC_G_FMT");

    public void SetFormat(ref V4l2Format format)
    {
        Check("VIDIOC_S_FMT");
        if (Multiplanar)
        {
            (CurrentWidth, CurrentHeight, CurrentFourCc) = ((int)format.PixMp.Width, (int)format.PixMp.Height, format.PixMp.PixelFormat);
            format.PixMp.NumPlanes = 1;
            format.PixMp.PlaneFormats[0].BytesPerLine = (uint)CurrentWidth;
            format.PixMp.PlaneFormats[0].SizeImage = (uint)BufferSize;
        }
        else
        {
            (CurrentWidth, CurrentHeight, CurrentFourCc) = ((int)format.Pix.Width, (int)format.Pix.Height, format.Pix.PixelFormat);
            format.Pix.BytesPerLine = (uint)(CurrentFourCc == V4l2PixelFormats.Yuyv ? CurrentWidth * 2 : CurrentWidth);
            format.Pix.SizeImage = (uint)BufferSize;
        }
    }

    public void GetParm(ref V4l2StreamParm parm)
    {
        Check("VIDIOC_G_PARM");
        parm.Capture.Capability = V4l2Constants.CapTimePerFrame;
    }

    public void SetParm(ref V4l2StreamParm parm)
    {
        Check("VIDIOC_S_PARM");
        CurrentFps = parm.Capture.TimePerFrame.FramesPerSecond;
    }

    public void RequestBuffers(ref V4l2RequestBuffers request)
    {
        Check("VIDIOC_REQBUFS");
        _buffers = Enumerable.Range(0, (int)request.Count).Select(_ => new byte[BufferSize]).ToArray();
    }

    public void QueryBuffer(ref V4l2Buffer buffer, Span<V4l2Plane> planes)
    {
        Check("VIDIOC_QUERYBUF");
        if (Multiplanar)
        {
            planes[0].MemOffset = buffer.Index;
            planes[0].Length = (uint)BufferSize;
        }
        else
        {
            buffer.Offset = buffer.Index;
            buffer.Length = (uint)BufferSize;
        }
    }

    public void QueueBuffer(ref V4l2Buffer buffer, Span<V4l2Plane> planes)
    {
        Check("VIDIOC_QBUF");
        lock (_gate)
        {
            if (_queued.Contains(buffer.Index))
            {
                throw new LibcException(Errno.EINVAL, "VIDIOC_QBUF (queued twice)", Path);
            }

            _queued.Enqueue(buffer.Index);
            QueueCalls++;
        }
    }

    public bool DequeueBuffer(ref V4l2Buffer buffer, Span<V4l2Plane> planes)
    {
        Check("VIDIOC_DQBUF");
        lock (_gate)
        {
            if (!_done.TryDequeue(out var done))
            {
                return false;
            }

            buffer.Index = done.Index;
            buffer.Sequence = done.Sequence;
            buffer.Flags = V4l2Constants.BufFlagTimestampMonotonic;
            buffer.Timestamp = new V4l2Timeval { Seconds = done.Microseconds / 1_000_000, Microseconds = done.Microseconds % 1_000_000 };
            if (Multiplanar)
            {
                planes[0].BytesUsed = (uint)BufferSize;
            }
            else
            {
                buffer.BytesUsed = (uint)BufferSize;
            }

            return true;
        }
    }

    public SafeHandle ExportBuffer(uint type, uint index, uint plane) => throw new LibcException(Errno.ENOTTY, "VIDIOC_EXPBUF", Path);

    public void StreamOn(uint type)
    {
        Check("VIDIOC_STREAMON");
        Streaming = true;
    }

    public void StreamOff(uint type)
    {
        Check("VIDIOC_STREAMOFF");
        Streaming = false;
    }

    public V4l2PollResult Poll(int timeoutMilliseconds)
    {
        var deadline = Environment.TickCount64 + timeoutMilliseconds;
        while (Environment.TickCount64 < deadline)
        {
            if (Gone)
            {
                return V4l2PollResult.Error;
            }

            lock (_gate)
            {
                if (_done.Count > 0)
                {
                    return V4l2PollResult.Ready;
                }
            }

            Thread.Sleep(2);
        }

        return V4l2PollResult.Timeout;
    }

    public IMemoryOwner<byte> Map(uint offset, int length) => new ArrayOwner(_buffers[offset]);

    public void Dispose() => Disposed = true;

    private void Check(string operation)
    {
        if (Gone)
        {
            throw new LibcException(Errno.ENODEV, operation, Path);
        }
    }

    private sealed class ArrayOwner(byte[] array) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory => array;

        public void Dispose()
        {
        }
    }
}
