using CamStreamd.Media;

namespace CamStreamd.Encoding;

/// <summary>An H.264 encoder turning raw pictures into Annex-B access units.</summary>
public interface IVideoEncoder : IDisposable
{
    /// <summary>The engine's config name (<c>x264</c>, <c>rkmpp</c>, ...).</summary>
    string Engine { get; }

    /// <summary>Makes the next encoded picture an IDR (with SPS and PPS before it). Thread-safe.</summary>
    void RequestKeyframe();

    /// <summary>
    /// Encodes <paramref name="frame"/> and publishes every access unit that comes out into
    /// <paramref name="sink"/>. Does not release the frame.
    /// </summary>
    void Encode(VideoFrame frame, IAccessUnitSink sink);
}
