using CamStreamd.Capture;
using CamStreamd.Encoding;
using CamStreamd.Media;

namespace CamStreamd.Tests.Composite;

/// <summary>A composite input the test feeds by hand: solid-colour I420 pictures copied into its slot.</summary>
internal sealed class FakeCompositeInput : ICompositeInput, IVideoFrameOwner
{
    public FakeCompositeInput(string name)
    {
        Counters = new CompositeInputCounters(name, "stream", name);
    }

    public PictureSlot Slot { get; } = new();

    public CompositeInputCounters Counters { get; }

    public bool Started { get; private set; }

    public void Start() => Started = true;

    /// <summary>Publishes a <paramref name="width"/>x<paramref name="height"/> picture of one colour.</summary>
    public void Send(int width, int height, (byte Y, byte U, byte V) colour)
    {
        var frame = new VideoFrame(this, width, height);
        frame.Y.Fill(colour.Y);
        frame.U.Fill(colour.U);
        frame.V.Fill(colour.V);
        Slot.PublishCopy(frame);
        Counters.AddPicture();
    }

    public void ReturnFrame(VideoFrame frame)
    {
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
