namespace CamStreamd.Encoding;

/// <summary>One row of the probe table.</summary>
/// <param name="Engine">The engine's config name (<c>rkmpp</c>, ...).</param>
/// <param name="Codec">The FFmpeg encoder it uses (<c>h264_rkmpp</c>, ...).</param>
/// <param name="Usable">True when the encoder opened and encoded the test frames.</param>
/// <param name="Reason">Why it is not usable, or what it was tested with when it is.</param>
public sealed record EncoderProbeResult(string Engine, string Codec, bool Usable, string Reason);
