using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using CamStreamd.Encoding;
using CamStreamd.Media;
using Microsoft.Extensions.Logging;

namespace CamStreamd.Http;

/// <summary>
/// One period of an <see cref="MjpegProducer"/> running (first viewer in to last viewer out):
/// the raw-frame tap handler on the capture thread and the encoding loop on a worker. A single
/// input slot sits between them; the tap fills it only when a picture is due and the slot is free.
/// </summary>
[SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The encoding loop disposes its token source when it ends; the semaphore holds no wait handle.")]
internal sealed class MjpegRun
{
    /// <summary>Initial JPEG buffer size; pictures that need more grow the buffer once.</summary>
    private const int InitialPictureCapacity = 64 * 1024;

    private readonly MjpegProducer _producer;
    private readonly ILoggerFactory _loggerFactory;
    private readonly SemaphoreSlim _ready = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly long _intervalTicks;
    private readonly long _toleranceTicks;
    private VideoFramePool? _framePool;
    private VideoFrame? _input;
    private byte[] _compressed = [];
    private int _compressedLength;
    private bool _inputIsJpeg;
    private int _busy;
    private long _nextDue;
    private bool _warnedFormat;

    /// <summary>Creates the run of <paramref name="producer"/>.</summary>
    public MjpegRun(MjpegProducer producer, ILoggerFactory loggerFactory)
    {
        _producer = producer;
        _loggerFactory = loggerFactory;
        _intervalTicks = (long)(Stopwatch.Frequency / producer.Fps);

        // Take a frame up to half a source interval early, so a 10 fps MJPEG of a 15 fps source
        // really gets 10 pictures a second rather than every second frame.
        _toleranceTicks = producer.SourceIntervalTicks / 2;
    }

    /// <summary>Starts the encoding loop.</summary>
    public void Start() => _ = Task.Run(EncodeLoopAsync);

    /// <summary>Ends the encoding loop (it frees its encoder and buffers itself).</summary>
    public void Stop() => _stop.Cancel();

    /// <summary>The raw-frame tap: runs on the capture loop, copies a due frame into the slot, never blocks, never throws.</summary>
    public void OnFrame(VideoFrame frame)
    {
        var now = frame.CaptureTimestamp != 0 ? frame.CaptureTimestamp : Stopwatch.GetTimestamp();
        if (now + _toleranceTicks < _nextDue)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            // Still encoding the previous picture: skip this frame (the freshest frame wins next time).
            return;
        }

        try
        {
            if (!Fill(frame))
            {
                Volatile.Write(ref _busy, 0);
                return;
            }

            // Keep the schedule, but never try to catch up on pictures that were missed.
            _nextDue = now - _nextDue > _intervalTicks ? now + _intervalTicks : _nextDue + _intervalTicks;
            _ready.Release();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Volatile.Write(ref _busy, 0);
            HttpLog.MjpegEncodeFailed(_producer.Logger, _producer.Name, _producer.AddFailure(), ex);
        }
    }

    private bool Fill(VideoFrame frame)
    {
        _producer.NoteFrameSize(frame.Width, frame.Height);
        if (frame.Format == VideoPixelFormat.Mjpeg)
        {
            var payload = frame.Payload.Span;
            if (_compressed.Length < payload.Length)
            {
                _compressed = new byte[payload.Length + (payload.Length / 4)];
            }

            payload.CopyTo(_compressed);
            _compressedLength = payload.Length;
            _inputIsJpeg = true;
            return true;
        }

        if (!I420Copier.CanCopy(frame.Format))
        {
            if (!_warnedFormat)
            {
                _warnedFormat = true;
                HttpLog.MjpegUnsupportedFormat(_producer.Logger, _producer.Name, frame.Format.ToString());
            }

            return false;
        }

        if (_framePool is null || _framePool.Width != frame.Width || _framePool.Height != frame.Height)
        {
            _input?.Release();
            _input = null;
            _framePool = new VideoFramePool(frame.Width, frame.Height);
        }

        _input ??= _framePool.Rent();
        I420Copier.Copy(frame, _input);
        _inputIsJpeg = false;
        return true;
    }

    private async Task EncodeLoopAsync()
    {
        JpegEncoder? encoder = null;
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                await _ready.WaitAsync(token).ConfigureAwait(false);
                JpegPicture? picture = null;
                try
                {
                    picture = _producer.RentPicture(InitialPictureCapacity);
                    if (_inputIsJpeg)
                    {
                        if (picture.Buffer.Length < _compressedLength)
                        {
                            picture.Buffer = new byte[_compressedLength];
                        }

                        _compressed.AsSpan(0, _compressedLength).CopyTo(picture.Buffer);
                        picture.Length = _compressedLength;
                    }
                    else
                    {
                        var input = _input!;
                        if (encoder is null || encoder.Width != input.Width || encoder.Height != input.Height)
                        {
                            encoder?.Dispose();
                            encoder = null;
                            encoder = new JpegEncoder(input.Width, input.Height, _producer.Quality, _loggerFactory.CreateLogger<JpegEncoder>());
                        }

                        picture.Length = encoder.Encode(input, ref picture.Buffer);
                        picture.CaptureTimestamp = input.CaptureTimestamp;
                    }

                    _producer.Publish(this, picture);
                    picture = null;
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    HttpLog.MjpegEncodeFailed(_producer.Logger, _producer.Name, _producer.AddFailure(), ex);
                    encoder?.Dispose();
                    encoder = null;
                }
                finally
                {
                    picture?.Release();
                    Volatile.Write(ref _busy, 0);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The last viewer left.
        }
        finally
        {
            encoder?.Dispose();
            _stop.Dispose();
        }
    }
}
