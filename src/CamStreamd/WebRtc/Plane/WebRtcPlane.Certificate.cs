namespace CamStreamd.WebRtc.Plane;

/// <summary>Placeholder until the DTLS side is merged: the fingerprint the answer carries.</summary>
public sealed partial class WebRtcPlane
{
    private string LocalFingerprint { get; set; } = string.Join(':', Enumerable.Repeat("00", 32));
}
