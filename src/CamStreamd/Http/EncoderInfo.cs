namespace CamStreamd.Http;

/// <summary>A stream's encoder.</summary>
/// <param name="Configured">The configured engine (<c>auto</c>, <c>x264</c>, ...).</param>
/// <param name="Engine">The engine open now, or null while none is.</param>
/// <param name="Failures">Times the encoder failed and was reopened.</param>
public sealed record EncoderInfo(string Configured, string? Engine, long Failures);
