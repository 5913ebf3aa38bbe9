namespace CamStreamd.Media;

/// <summary>
/// What a viewer needs to know about a stream before its first packet: the picture size and
/// rate and the H.264 parameter sets (for SDP's sprop-parameter-sets and profile-level-id).
/// </summary>
/// <param name="Width">Picture width in pixels.</param>
/// <param name="Height">Picture height in pixels.</param>
/// <param name="Fps">Nominal frames per second.</param>
/// <param name="Sps">The sequence parameter set NAL unit, without start code.</param>
/// <param name="Pps">The picture parameter set NAL unit, without start code.</param>
public sealed record StreamDescription(int Width, int Height, double Fps, byte[] Sps, byte[] Pps);
