using System.Diagnostics;
using System.Runtime.ExceptionServices;
using CamStreamd.Interop.Libc;
using CamStreamd.Interop.V4l2;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Capture;

/// <summary>The capture thread of <see cref="V4l2Source"/>.</summary>
public sealed partial class V4l2Source
{
    private const long MicrosecondsPerSecond = 1_000_000;

    private void CaptureLoop()
    {
        var pollMilliseconds = (int)Math.Max(1, _options.PollInterval.TotalMilliseconds);
        var lastFrame = Stopwatch.GetTimestamp();
        while (!_stopping)
        {
            lock (_gate)
            {
                if (_fault is not null)
                {
                    return;
                }

                if (_queued == 0)
                {
                    // Every buffer is with consumers or waiting for the reader: nothing can arrive,
                    // so this is no camera fault. Wait for a release.
                    Monitor.Wait(_gate, pollMilliseconds);
                    lastFrame = Stopwatch.GetTimestamp();
                    continue;
                }
            }

            V4l2PollResult result;
            try
            {
                result = _device.Poll(pollMilliseconds);
            }
            catch (LibcException e)
            {
                Fail(new CameraLostException($"{_device.Path}: poll failed: {e.Message}", e));
                return;
            }

            if (_stopping)
            {
                return;
            }

            if (result == V4l2PollResult.Timeout)
            {
                if (Stopwatch.GetElapsedTime(lastFrame) > _options.FrameTimeout)
                {
                    Fail(new CameraLostException(FormattableString.Invariant($"{_device.Path}: no frame for {_options.FrameTimeout.TotalSeconds:0.#} s")));
                    return;
                }

                continue;
            }

            bool got;
            try
            {
                got = DequeueAll();
            }
            catch (LibcException e)
            {
                Fail(new CameraLostException($"{_device.Path}: {e.Message}", e));
                return;
            }

            if (got)
            {
                lastFrame = Stopwatch.GetTimestamp();
                Signal();
            }
            else if (result == V4l2PollResult.Error)
            {
                Fail(new CameraLostException($"{_device.Path}: poll reported an error (POLLERR) and no buffer could be dequeued"));
                return;
            }
        }
    }

    /// <summary>Dequeues every filled buffer into the pending ring; beyond its limit the oldest goes straight back.</summary>
    private bool DequeueAll()
    {
        Span<V4l2Plane> planes = stackalloc V4l2Plane[V4l2Constants.VideoMaxPlanes];
        var got = false;
        lock (_gate)
        {
            for (var n = 0; n < _slots.Length && !_disposed; n++)
            {
                var buffer = new V4l2Buffer { Type = _bufferType, Memory = V4l2Constants.MemoryMmap };
                if (!_device.DequeueBuffer(ref buffer, planes[.._memoryPlanes]))
                {
                    break;
                }

                _queued--;
                var slot = _slots[buffer.Index];
                if ((buffer.Flags & V4l2Constants.BufFlagError) != 0)
                {
                    LogCorruptBuffer(_logger, _device.Path, buffer.Sequence);
                    Queue(slot);
                    continue;
                }

                Describe(slot, ref buffer, planes);
                if (_pendingCount == _maxPending)
                {
                    // The reader is behind: the oldest waiting frame goes back (raw: the freshest wins).
                    Queue(_slots[_pending[_pendingHead]]);
                    _pendingHead = (_pendingHead + 1) % _pending.Length;
                    _pendingCount--;
                    Interlocked.Increment(ref _lateDrops);
                    _counters?.AddDropped(DropReason.CaptureLate);
                }

                slot.State = V4l2BufferSlot.SlotState.Pending;
                _pending[(_pendingHead + _pendingCount) % _pending.Length] = (int)slot.Index;
                _pendingCount++;
                got = true;
            }
        }

        return got;
    }

    /// <summary>Points <paramref name="slot"/>'s frame at the dequeued data.</summary>
    private void Describe(V4l2BufferSlot slot, ref V4l2Buffer buffer, Span<V4l2Plane> planes)
    {
        var frame = slot.Frame;
        frame.FrameNumber = buffer.Sequence;
        frame.CaptureTimestamp = (buffer.Flags & V4l2Constants.BufFlagTimestampMask) == V4l2Constants.BufFlagTimestampMonotonic
            ? ToStopwatchTicks(buffer.Timestamp)
            : Stopwatch.GetTimestamp();

        var multiplanar = _bufferType == V4l2Constants.BufTypeVideoCaptureMplane;
        var offset0 = multiplanar ? (int)planes[0].DataOffset : 0;
        var used0 = multiplanar ? (int)planes[0].BytesUsed : (int)buffer.BytesUsed;
        var plane0 = slot.Mappings[0].Memory;
        if (frame.IsCompressed || PixelFormat is VideoPixelFormat.Mjpeg or VideoPixelFormat.H264)
        {
            var length = Math.Clamp(used0 - offset0, 0, plane0.Length - offset0);
            frame.SetPayload(PixelFormat, Width, Height, plane0.Slice(offset0, length));
            return;
        }

        var data = plane0[offset0..];
        var stride = _strides[0];
        var lumaBytes = stride * Height;
        var chromaHeight = (Height + 1) / 2;
        switch (PixelFormat)
        {
            case VideoPixelFormat.Yuyv:
                frame.SetPlanes(PixelFormat, Width, Height, data[..lumaBytes], stride);
                break;
            case VideoPixelFormat.Nv12 when _memoryPlanes >= 2:
                frame.SetPlanes(PixelFormat, Width, Height, data[..lumaBytes], stride, slot.Mappings[1].Memory[(int)planes[1].DataOffset..], _strides[1]);
                break;
            case VideoPixelFormat.Nv12:
                frame.SetPlanes(PixelFormat, Width, Height, data[..lumaBytes], stride, data.Slice(lumaBytes, stride * chromaHeight), stride);
                break;
            case VideoPixelFormat.I420 when _memoryPlanes >= 3:
                frame.SetPlanes(
                    PixelFormat, Width, Height, data[..lumaBytes], stride,
                    slot.Mappings[1].Memory[(int)planes[1].DataOffset..], _strides[1],
                    slot.Mappings[2].Memory[(int)planes[2].DataOffset..], _strides[2]);
                break;
            default:
                var chromaStride = stride / 2;
                var chromaBytes = chromaStride * chromaHeight;
                frame.SetPlanes(
                    PixelFormat, Width, Height, data[..lumaBytes], stride,
                    data.Slice(lumaBytes, chromaBytes), chromaStride,
                    data.Slice(lumaBytes + chromaBytes, chromaBytes), chromaStride);
                break;
        }
    }

    private void Fail(CameraLostException exception)
    {
        lock (_gate)
        {
            _fault ??= ExceptionDispatchInfo.Capture(exception);
        }

        LogLost(_logger, _device.Path, exception.Message);
        Signal();
    }

    private void Signal()
    {
        try
        {
            if (_frameReady.CurrentCount == 0)
            {
                _frameReady.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile.
        }
    }

    /// <summary>A CLOCK_MONOTONIC timeval as <see cref="Stopwatch"/> ticks (Stopwatch reads CLOCK_MONOTONIC on Linux).</summary>
    internal static long ToStopwatchTicks(V4l2Timeval timestamp) =>
        (timestamp.Seconds * Stopwatch.Frequency) + (timestamp.Microseconds * Stopwatch.Frequency / MicrosecondsPerSecond);

    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Camera {Device} opened: {Driver} \"{Card}\", {FourCc} {Width}x{Height} at {Fps} fps, {Buffers} buffers, {Planes}")]
    private static partial void LogOpened(ILogger logger, string device, string driver, string card, string fourCc, int width, int height, string fps, int buffers, string planes);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Warning, Message = "Camera {Device}: {RequestedWidth}x{RequestedHeight} is not offered; using the nearest, {Width}x{Height}")]
    private static partial void LogSizeAdjusted(ILogger logger, string device, int requestedWidth, int requestedHeight, int width, int height);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning, Message = "Camera {Device}: {RequestedFps} fps is not offered; using the nearest, {Fps} fps")]
    private static partial void LogRateAdjusted(ILogger logger, string device, string requestedFps, string fps);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Camera {Device}: buffer {Sequence} flagged as corrupt (V4L2_BUF_FLAG_ERROR); skipped")]
    private static partial void LogCorruptBuffer(ILogger logger, string device, uint sequence);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Warning, Message = "Camera {Device} lost: {Reason}")]
    private static partial void LogLost(ILogger logger, string device, string reason);
}
