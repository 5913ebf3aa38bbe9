using System.Buffers;
using System.Runtime.ExceptionServices;
using CamStreamd.Interop.Libc;
using CamStreamd.Interop.V4l2;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CamStreamd.Capture;

/// <summary>
/// A V4L2 camera: negotiates format, size and rate (<see cref="V4l2Negotiator"/>), maps the driver's
/// buffers and runs a capture thread that dequeues filled buffers as they come.
/// </summary>
/// <remarks>
/// The freshest frame wins and the capture thread never waits on a consumer: one filled buffer
/// at most waits for the reader; when a newer one arrives first the older goes straight back to
/// the driver (counted as <see cref="DropReason.CaptureLate"/>). H.264 is the exception: every
/// picture but an IDR refers to earlier ones, so a lost one spoils the rest of its GOP; up to
/// <see cref="MaxPendingH264"/> filled buffers wait in order, and only when the reader falls further
/// behind does the oldest go back. A delivered frame is a lease on
/// its buffer: <see cref="VideoFrame.Release"/> queues it back (VIDIOC_QBUF). The device gone
/// (ENODEV), a poll error or no frame within <see cref="V4l2SourceOptions.FrameTimeout"/> ends the
/// capture; the next <see cref="ReadFrameAsync"/> throws <see cref="CameraLostException"/>.
/// </remarks>
public sealed partial class V4l2Source : IVideoSource
{
    private readonly IV4l2Device _device;
    private readonly V4l2SourceOptions _options;
    private readonly ILogger _logger;
    private readonly StreamCounters? _counters;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _frameReady = new(0, 1);
    private readonly uint _bufferType;
    private readonly int _memoryPlanes;
    private readonly int[] _strides = new int[3];
    private V4l2BufferSlot[] _slots = [];
    private Thread? _thread;
    private ExceptionDispatchInfo? _fault;
    // Filled buffers waiting for the reader, oldest first (slot indices in a ring).
    private int[] _pending = [];
    private int _pendingHead;
    private int _pendingCount;
    private int _maxPending = 1;
    private int _queued;
    private long _lateDrops;
    private long _delivered;
    private volatile bool _stopping;
    private bool _disposed;

    /// <summary>Most H.264 frames that wait for the reader (raw and MJPEG: one, the freshest).</summary>
    public const int MaxPendingH264 = 3;

    private V4l2Source(IV4l2Device device, V4l2SourceOptions options, ILogger logger, StreamCounters? counters)
    {
        _device = device;
        _options = options;
        _logger = logger;
        _counters = counters;
        var description = V4l2Enumeration.Describe(device);
        if (!description.IsStreamingCapture)
        {
            throw new CameraConfigurationException($"{device.Path} ({description.Driver} \"{description.Card}\") is not a video capture device with streaming I/O");
        }

        Description = description;
        _bufferType = description.BufferType;
        var formats = V4l2Enumeration.Formats(device, _bufferType);
        var chosen = V4l2Negotiator.ChooseFormat(formats, options.Format, options.Engine, device.Path);
        if (!V4l2PixelFormatMap.TryMap(chosen.PixelFormat, out var pixelFormat))
        {
            throw new CameraConfigurationException($"{device.Path}: format {chosen.FourCc} is not supported");
        }

        PixelFormat = pixelFormat.Value;
        var (width, height) = V4l2Negotiator.ChooseSize(chosen.Sizes, options.Width, options.Height);
        _memoryPlanes = SetFormat(chosen.PixelFormat, width, height);
        if (Width != options.Width || Height != options.Height)
        {
            LogSizeAdjusted(_logger, device.Path, options.Width, options.Height, Width, Height);
        }

        Fps = SetFrameRate(chosen.PixelFormat);
        if (Math.Abs(Fps - options.Fps) > 0.01)
        {
            LogRateAdjusted(_logger, device.Path, V4l2Negotiator.Rate(options.Fps), V4l2Negotiator.Rate(Fps));
        }

        AllocateBuffers();
        device.StreamOn(_bufferType);
        LogOpened(_logger, device.Path, description.Driver, description.Card, chosen.FourCc, Width, Height, V4l2Negotiator.Rate(Fps), _slots.Length, description.IsMultiplanar ? "multi-planar" : "single-planar");
        _thread = new Thread(CaptureLoop) { IsBackground = true, Name = "v4l2 " + device.Path };
        _thread.Start();
    }

    /// <inheritdoc/>
    public int Width { get; private set; }

    /// <inheritdoc/>
    public int Height { get; private set; }

    /// <inheritdoc/>
    public double Fps { get; }

    /// <summary>The layout of delivered frames.</summary>
    public VideoPixelFormat PixelFormat { get; }

    /// <summary>What QUERYCAP said.</summary>
    public V4l2DeviceDescription Description { get; }

    /// <summary>The driver's fourcc in use.</summary>
    public uint FourCc { get; private set; }

    /// <summary>Driver buffers in use.</summary>
    public int BufferCount => _slots.Length;

    /// <summary>Filled buffers handed back unread because a fresher one arrived.</summary>
    public long LateDrops => Interlocked.Read(ref _lateDrops);

    /// <summary>Frames handed to the reader.</summary>
    public long FramesDelivered => Interlocked.Read(ref _delivered);

    /// <summary>Opens <paramref name="options"/>.Device through <paramref name="provider"/> and starts capturing.</summary>
    /// <exception cref="LibcException">The node is missing, busy, or an ioctl failed.</exception>
    /// <exception cref="CameraConfigurationException">The node cannot deliver a usable format.</exception>
    public static V4l2Source Open(V4l2SourceOptions options, IV4l2DeviceProvider? provider = null, ILogger? logger = null, StreamCounters? counters = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var device = (provider ?? V4l2DeviceProvider.Instance).Open(options.Device);
        try
        {
            return new V4l2Source(device, options, logger ?? NullLogger.Instance, counters);
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<VideoFrame> ReadFrameAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (_gate)
            {
                ObjectDisposedException.ThrowIf(_disposed, this);
                if (_pendingCount > 0)
                {
                    var slot = _slots[_pending[_pendingHead]];
                    _pendingHead = (_pendingHead + 1) % _pending.Length;
                    _pendingCount--;
                    slot.State = V4l2BufferSlot.SlotState.Held;
                    Interlocked.Increment(ref _delivered);
                    return slot.Frame;
                }

                _fault?.Throw();
            }

            await _frameReady.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _stopping = true;
        _thread?.Join(_options.PollInterval * 4);
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
            try
            {
                _device.StreamOff(_bufferType);
            }
            catch (LibcException)
            {
                // The device may be gone; closing the fd below releases its queue anyway.
            }

            foreach (var slot in _slots)
            {
                // A frame still held by a consumer keeps its mapping until it is released.
                if (slot.State != V4l2BufferSlot.SlotState.Held)
                {
                    slot.Unmap();
                }
            }

            _device.Dispose();
        }

        _frameReady.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>A consumer released <paramref name="slot"/>'s frame: back to the driver.</summary>
    internal void Return(V4l2BufferSlot slot)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                slot.State = V4l2BufferSlot.SlotState.Idle;
                slot.Unmap();
                return;
            }

            Queue(slot);
            Monitor.PulseAll(_gate);
        }
    }

    private int SetFormat(uint fourcc, int width, int height)
    {
        var format = new V4l2Format { Type = _bufferType };
        int planes;
        if (_bufferType == V4l2Constants.BufTypeVideoCaptureMplane)
        {
            format.PixMp.Width = (uint)width;
            format.PixMp.Height = (uint)height;
            format.PixMp.PixelFormat = fourcc;
            format.PixMp.Field = V4l2Constants.FieldNone;
            _device.SetFormat(ref format);
            (Width, Height, FourCc) = ((int)format.PixMp.Width, (int)format.PixMp.Height, format.PixMp.PixelFormat);
            planes = Math.Clamp((int)format.PixMp.NumPlanes, 1, 3);
            for (var i = 0; i < planes; i++)
            {
                _strides[i] = (int)format.PixMp.PlaneFormats[i].BytesPerLine;
            }
        }
        else
        {
            format.Pix.Width = (uint)width;
            format.Pix.Height = (uint)height;
            format.Pix.PixelFormat = fourcc;
            format.Pix.Field = V4l2Constants.FieldNone;
            _device.SetFormat(ref format);
            (Width, Height, FourCc) = ((int)format.Pix.Width, (int)format.Pix.Height, format.Pix.PixelFormat);
            _strides[0] = (int)format.Pix.BytesPerLine;
            planes = 1;
        }

        if (FourCc != fourcc)
        {
            throw new CameraConfigurationException($"{_device.Path} refused format {V4l2PixelFormats.ToFourCc(fourcc)} (VIDIOC_S_FMT gave {V4l2PixelFormats.ToFourCc(FourCc)})");
        }

        if (_strides[0] == 0 && PixelFormat is not (VideoPixelFormat.Mjpeg or VideoPixelFormat.H264))
        {
            // Old drivers may leave bytesperline 0 for packed formats.
            _strides[0] = PixelFormat == VideoPixelFormat.Yuyv ? Width * 2 : Width;
        }

        return planes;
    }

    private double SetFrameRate(uint fourcc)
    {
        var rates = V4l2Enumeration.FrameRates(_device, fourcc, Width, Height);
        var wanted = V4l2Negotiator.ChooseFps(rates, _options.Fps);
        var parm = new V4l2StreamParm { Type = _bufferType };
        _device.GetParm(ref parm);
        if ((parm.Capture.Capability & V4l2Constants.CapTimePerFrame) == 0)
        {
            return parm.Capture.TimePerFrame.FramesPerSecond > 0 ? parm.Capture.TimePerFrame.FramesPerSecond : wanted;
        }

        // 1000 / (fps * 1000) keeps fractional rates such as 29.97 exact enough.
        parm.Capture.TimePerFrame = new V4l2Fract { Numerator = 1000, Denominator = (uint)Math.Round(wanted * 1000) };
        _device.SetParm(ref parm);
        var actual = parm.Capture.TimePerFrame.FramesPerSecond;
        return actual > 0 ? actual : wanted;
    }

    private void AllocateBuffers()
    {
        var request = new V4l2RequestBuffers { Count = (uint)_options.BufferCount, Type = _bufferType, Memory = V4l2Constants.MemoryMmap };
        _device.RequestBuffers(ref request);
        if (request.Count < 2)
        {
            throw new CameraConfigurationException($"{_device.Path} granted {request.Count} buffers (VIDIOC_REQBUFS); at least 2 are needed");
        }

        var slots = new List<V4l2BufferSlot>((int)request.Count);
        try
        {
            Span<V4l2Plane> planes = stackalloc V4l2Plane[V4l2Constants.VideoMaxPlanes];
            for (uint i = 0; i < request.Count; i++)
            {
                var buffer = new V4l2Buffer { Index = i, Type = _bufferType, Memory = V4l2Constants.MemoryMmap };
                _device.QueryBuffer(ref buffer, planes[.._memoryPlanes]);
                var mappings = new List<IMemoryOwner<byte>>(_memoryPlanes);
                if (_bufferType == V4l2Constants.BufTypeVideoCaptureMplane)
                {
                    for (var p = 0; p < _memoryPlanes; p++)
                    {
                        mappings.Add(_device.Map(planes[p].MemOffset, (int)planes[p].Length));
                    }
                }
                else
                {
                    mappings.Add(_device.Map(buffer.Offset, (int)buffer.Length));
                }

                slots.Add(new V4l2BufferSlot(this, i, mappings.ToArray()));
            }

            _slots = [.. slots];
            _pending = new int[_slots.Length];
            _maxPending = PixelFormat == VideoPixelFormat.H264 ? Math.Clamp(_slots.Length - 1, 1, MaxPendingH264) : 1;
            lock (_gate)
            {
                foreach (var slot in _slots)
                {
                    Queue(slot);
                }
            }
        }
        catch
        {
            foreach (var slot in slots)
            {
                slot.Unmap();
            }

            throw;
        }
    }

    private void Queue(V4l2BufferSlot slot)
    {
        Span<V4l2Plane> planes = stackalloc V4l2Plane[V4l2Constants.VideoMaxPlanes];
        var buffer = new V4l2Buffer { Index = slot.Index, Type = _bufferType, Memory = V4l2Constants.MemoryMmap };
        try
        {
            _device.QueueBuffer(ref buffer, planes[.._memoryPlanes]);
            slot.State = V4l2BufferSlot.SlotState.Queued;
            _queued++;
        }
        catch (LibcException e)
        {
            slot.State = V4l2BufferSlot.SlotState.Idle;
            _fault ??= ExceptionDispatchInfo.Capture(new CameraLostException($"{_device.Path}: could not queue buffer {slot.Index}: {e.Message}", e));
            Signal();
        }
    }
}
