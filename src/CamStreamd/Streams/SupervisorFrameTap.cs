using CamStreamd.Capture;
using CamStreamd.Media;

namespace CamStreamd.Streams;

/// <summary>
/// The raw-frame tap of the streams a <see cref="StreamSupervisor"/> runs, for composite inputs
/// <c>{"stream": name}</c>: attaches to the running pipeline's <see cref="StreamPipeline.FrameCaptured"/>
/// (a stream restarted through the API later gets a new pipeline; the composite then shows NO SIGNAL
/// for that input until the composite itself restarts).
/// </summary>
internal sealed class SupervisorFrameTap : ICompositeFrameTap
{
    private readonly StreamSupervisor _supervisor;

    public SupervisorFrameTap(StreamSupervisor supervisor) => _supervisor = supervisor;

    public IDisposable? Attach(string stream, Action<VideoFrame> onFrame)
    {
        if (_supervisor.Find(stream) is not { IsStarted: true } instance)
        {
            return null;
        }

        var pipeline = instance.Pipeline;
        pipeline.FrameCaptured += onFrame;
        return new Detach(pipeline, onFrame);
    }

    private sealed class Detach(StreamPipeline pipeline, Action<VideoFrame> onFrame) : IDisposable
    {
        public void Dispose() => pipeline.FrameCaptured -= onFrame;
    }
}
