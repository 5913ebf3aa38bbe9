namespace CamStreamd.Encoding;

/// <summary>One H.264 decoder the probe may open.</summary>
/// <param name="Engine">The name shown in the API and logs (<c>rkmpp</c>, <c>v4l2m2m</c>, <c>software</c>).</param>
/// <param name="Codec">The libavcodec decoder name.</param>
/// <param name="Device">The device node (or <c>/dev/video*</c> glob) it needs, or null.</param>
internal sealed record H264DecoderCandidate(string Engine, string Codec, string? Device);
