using CamStreamd.Media;

namespace CamStreamd.Capture;

/// <summary>
/// The raw-frame tap of this daemon's other streams, for composite inputs <c>{"stream": name}</c>
/// (Streams implements it over each pipeline's <c>FrameCaptured</c>). The handler runs on that
/// stream's capture loop with a frame valid only during the call, and must return at once.
/// </summary>
public interface ICompositeFrameTap
{
    /// <summary>
    /// Attaches <paramref name="onFrame"/> to stream <paramref name="stream"/> for as long as the
    /// attachment lives: frames come whenever a stream of that name runs, including one removed
    /// and added again or rebuilt by a reload after the attachment was made. Dispose to detach.
    /// </summary>
    IDisposable Attach(string stream, Action<VideoFrame> onFrame);
}
