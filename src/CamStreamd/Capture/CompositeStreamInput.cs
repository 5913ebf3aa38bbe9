using CamStreamd.Encoding;
using CamStreamd.Media;

namespace CamStreamd.Capture;

/// <summary>
/// A composite input that shows another stream of this daemon: its raw frames before encoding
/// (copied into the slot, the only copy), or, for a relayed stream whose frames are H.264, the
/// frames decoded. Runs on that stream's capture loop and never blocks it: a frame that finds the
/// slot busy (the compositor is scaling from it) is skipped, as the newest picture wins anyway.
/// The tap follows the stream by name: a stream removed and added again (or rebuilt by a reload)
/// feeds the tile again at once, a new relayed stream's first IDR restarting the decoder's picture.
/// </summary>
internal sealed class CompositeStreamInput : ICompositeInput
{
    private readonly string _stream;
    private readonly ICompositeFrameTap _tap;
    private readonly Lock _lock = new();
    private readonly Action<VideoFrame> _onFrame;
    private IDisposable? _attachment;
    private H264Decoder? _decoder;
    private long _failuresSeen;
    private bool _disposed;

    public CompositeStreamInput(string name, string stream, ICompositeFrameTap tap, PictureSlot slot)
    {
        _stream = stream;
        _tap = tap;
        Slot = slot;
        Counters = new CompositeInputCounters(name, "stream", stream);
        _onFrame = OnFrame;
    }

    public PictureSlot Slot { get; }

    public CompositeInputCounters Counters { get; }

    /// <summary>Attaches to the stream (the tap follows it across restarts: removed and added again, rebuilt by a reload).</summary>
    public void Start()
    {
        lock (_lock)
        {
            if (!_disposed)
            {
                _attachment ??= _tap.Attach(_stream, _onFrame);
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            _disposed = true;
            _attachment?.Dispose();
            _attachment = null;
            _decoder?.Dispose();
            _decoder = null;
        }

        return ValueTask.CompletedTask;
    }

    private void OnFrame(VideoFrame frame)
    {
        if (!_lock.TryEnter())
        {
            return;
        }

        try
        {
            if (_disposed)
            {
                return;
            }

            if (frame.Format == VideoPixelFormat.H264)
            {
                Decode(frame);
            }
            else if (PictureSlot.CanCopy(frame.Format))
            {
                if (Slot.TryPublishCopy(frame))
                {
                    Counters.AddPicture();
                    Counters.SetDecoder("none");
                }
            }
            else
            {
                Counters.AddFailures(1, $"{frame.Format} frames cannot be composited");
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Never into the other stream's capture loop.
            Counters.AddFailures(1, e.Message);
        }
        finally
        {
            _lock.Exit();
        }
    }

    private void Decode(VideoFrame frame)
    {
        _decoder ??= H264Decoder.Open();
        Counters.SetDecoder(_decoder.Engine);
        if (_decoder.Decode(frame.Payload.Span))
        {
            Slot.Publish(_decoder.Picture);
            Counters.AddPicture();
        }

        if (_decoder.Failures != _failuresSeen)
        {
            Counters.AddFailures(_decoder.Failures - _failuresSeen, _decoder.LastError);
            _failuresSeen = _decoder.Failures;
        }
    }
}
