using System.Buffers;
using CamStreamd.Media;

namespace CamStreamd.Capture;

/// <summary>
/// One driver buffer of a <see cref="V4l2Source"/>: its mappings (one per memory plane) and the
/// reusable <see cref="VideoFrame"/> that describes it. Releasing the frame is the lease's end:
/// the buffer goes back to the driver.
/// </summary>
internal sealed class V4l2BufferSlot : IVideoFrameOwner
{
    private readonly V4l2Source _source;

    public V4l2BufferSlot(V4l2Source source, uint index, IMemoryOwner<byte>[] mappings)
    {
        _source = source;
        Index = index;
        Mappings = mappings;
        Frame = new VideoFrame(this);
    }

    /// <summary>Where the buffer is now.</summary>
    public enum SlotState
    {
        /// <summary>Not queued and not delivered (startup, or after an error).</summary>
        Idle,

        /// <summary>In the driver's queue, being filled.</summary>
        Queued,

        /// <summary>Filled, waiting for the reader (at most one at a time: the freshest).</summary>
        Pending,

        /// <summary>Handed to a consumer, not released yet.</summary>
        Held,
    }

    public uint Index { get; }

    public IMemoryOwner<byte>[] Mappings { get; }

    public VideoFrame Frame { get; }

    public SlotState State { get; set; }

    /// <summary>Unmaps the buffer (after the source stopped and nobody holds the frame).</summary>
    public void Unmap()
    {
        foreach (var mapping in Mappings)
        {
            mapping.Dispose();
        }
    }

    /// <inheritdoc/>
    public void ReturnFrame(VideoFrame frame) => _source.Return(this);
}
