using CamStreamd.Capture;
using CamStreamd.Media;

namespace CamStreamd.Streams;

/// <summary>
/// The raw-frame tap of the streams a <see cref="StreamSupervisor"/> runs, for composite inputs
/// <c>{"stream": name}</c>. An attachment follows the stream by name, not one pipeline: the
/// supervisor reports every stream it creates and removes, and each attachment of that name moves
/// its handler to the new pipeline's <see cref="StreamPipeline.FrameCaptured"/>. So a stream
/// removed and added again through the API, or rebuilt by a reload, feeds the composite again at
/// once (stop and start keep the same pipeline, and its handlers). Nothing polls.
/// </summary>
internal sealed class SupervisorFrameTap : ICompositeFrameTap
{
    private readonly StreamSupervisor _supervisor;
    private readonly Lock _lock = new();
    private readonly List<Attachment> _attachments = [];

    public SupervisorFrameTap(StreamSupervisor supervisor) => _supervisor = supervisor;

    public IDisposable Attach(string stream, Action<VideoFrame> onFrame)
    {
        var attachment = new Attachment(this, stream, onFrame);
        lock (_lock)
        {
            _attachments.Add(attachment);
            attachment.MoveTo(_supervisor.Find(stream)?.Pipeline);
        }

        return attachment;
    }

    /// <summary>A stream was created (added, re-added or rebuilt): its attachments move to its pipeline.</summary>
    public void StreamCreated(StreamInstance stream)
    {
        lock (_lock)
        {
            foreach (var attachment in _attachments)
            {
                if (string.Equals(attachment.Stream, stream.Name, StringComparison.OrdinalIgnoreCase))
                {
                    attachment.MoveTo(stream.Pipeline);
                }
            }
        }
    }

    /// <summary>A stream was removed: attachments on its pipeline wait for the next stream of that name.</summary>
    public void StreamRemoved(StreamInstance stream)
    {
        lock (_lock)
        {
            foreach (var attachment in _attachments)
            {
                if (ReferenceEquals(attachment.Pipeline, stream.Pipeline))
                {
                    attachment.MoveTo(null);
                }
            }
        }
    }

    private void Remove(Attachment attachment)
    {
        lock (_lock)
        {
            attachment.MoveTo(null);
            _attachments.Remove(attachment);
        }
    }

    private sealed class Attachment(SupervisorFrameTap tap, string stream, Action<VideoFrame> onFrame) : IDisposable
    {
        public string Stream { get; } = stream;

        public StreamPipeline? Pipeline { get; private set; }

        /// <summary>Moves the handler to <paramref name="pipeline"/> (null: detached). Called under the tap's lock.</summary>
        public void MoveTo(StreamPipeline? pipeline)
        {
            if (ReferenceEquals(pipeline, Pipeline))
            {
                return;
            }

            if (Pipeline is not null)
            {
                Pipeline.FrameCaptured -= onFrame;
            }

            Pipeline = pipeline;
            if (pipeline is not null)
            {
                pipeline.FrameCaptured += onFrame;
            }
        }

        public void Dispose() => tap.Remove(this);
    }
}
