using CamStreamd.Encoding;
using CamStreamd.Media;

namespace CamStreamd.Capture;

/// <summary>One input of a composite: it fills its <see cref="PictureSlot"/> on its own thread until disposed.</summary>
internal interface ICompositeInput : IAsyncDisposable
{
    /// <summary>The latest picture.</summary>
    PictureSlot Slot { get; }

    /// <summary>The input's counters (shared with the API).</summary>
    CompositeInputCounters Counters { get; }

    /// <summary>Starts receiving pictures.</summary>
    void Start();
}
