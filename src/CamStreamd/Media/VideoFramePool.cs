using System.Collections.Concurrent;

namespace CamStreamd.Media;

/// <summary>A pool of same-sized I420 <see cref="VideoFrame"/>s in managed memory; renting never blocks.</summary>
public sealed class VideoFramePool : IVideoFrameOwner
{
    private readonly ConcurrentQueue<VideoFrame> _free = new();
    private long _created;

    /// <summary>Creates a pool of frames of the given luma size.</summary>
    public VideoFramePool(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        Width = width;
        Height = height;
    }

    /// <summary>Luma width of every frame.</summary>
    public int Width { get; }

    /// <summary>Luma height of every frame.</summary>
    public int Height { get; }

    /// <summary>Frames created since start.</summary>
    public long Created => Interlocked.Read(ref _created);

    /// <summary>Rents a frame (contents are whatever the previous user left).</summary>
    public VideoFrame Rent()
    {
        if (_free.TryDequeue(out var frame))
        {
            return frame;
        }

        Interlocked.Increment(ref _created);
        return new VideoFrame(this, Width, Height);
    }

    /// <inheritdoc />
    public void ReturnFrame(VideoFrame frame) => _free.Enqueue(frame);
}
