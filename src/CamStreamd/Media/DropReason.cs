namespace CamStreamd.Media;

/// <summary>Why a frame did not reach a viewer (one counter each in <see cref="StreamCounters"/>).</summary>
public enum DropReason
{
    /// <summary>Larger than the stream's <c>maxFrameLength</c>; dropped before fan-out.</summary>
    Oversize,

    /// <summary>A viewer's bounded queue was full; that viewer skipped to the next keyframe.</summary>
    ViewerQueueFull,

    /// <summary>The encoder failed on the frame (it is reopened).</summary>
    EncoderError,

    /// <summary>The source skipped a frame because the reader was late (the freshest frame wins).</summary>
    CaptureLate,
}
