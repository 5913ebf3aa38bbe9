namespace CamStreamd.Media;

/// <summary>Takes a <see cref="VideoFrame"/> back when its holder releases it (a pool, or a V4L2 buffer lease).</summary>
public interface IVideoFrameOwner
{
    /// <summary>Called once per <see cref="VideoFrame.Release"/>; the owner may reuse the frame afterwards.</summary>
    void ReturnFrame(VideoFrame frame);
}
