namespace CamStreamd.Capture;

/// <summary>
/// A source whose camera can be asked for an IDR: a relay asks its upstream with an RTCP PLI.
/// The pipeline passes the hub's keyframe requests (a viewer's PLI, a viewer resuming) to it as
/// well as to the encoder, since a passthrough encoder cannot make an IDR itself.
/// </summary>
public interface IKeyframeSource
{
    /// <summary>Asks for an IDR as soon as the camera can send one; may be called from any thread.</summary>
    void RequestKeyframe();
}
