using CamStreamd.Media;

namespace CamStreamd.Capture;

/// <summary>A source of raw pictures for one stream (test pattern now; V4L2 camera later).</summary>
public interface IVideoSource : IAsyncDisposable
{
    /// <summary>Picture width in pixels.</summary>
    int Width { get; }

    /// <summary>Picture height in pixels.</summary>
    int Height { get; }

    /// <summary>Nominal frames per second.</summary>
    double Fps { get; }

    /// <summary>
    /// Waits for the next picture and returns it; the caller owns the frame and releases it.
    /// Paced by the source (a camera's own rate, or the monotonic clock for synthetic sources).
    /// </summary>
    ValueTask<VideoFrame> ReadFrameAsync(CancellationToken cancellationToken);
}
