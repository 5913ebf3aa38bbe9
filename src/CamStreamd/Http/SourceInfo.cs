namespace CamStreamd.Http;

/// <summary>A stream's configured source (credentials never appear).</summary>
/// <param name="Type"><c>v4l2</c>, <c>testPattern</c>, <c>rtsp</c>, ...</param>
/// <param name="Device">V4L2 device node, for <c>v4l2</c>.</param>
/// <param name="Url">Upstream URL with any password masked, for <c>rtsp</c>.</param>
/// <param name="Format">Requested pixel format.</param>
public sealed record SourceInfo(string Type, string? Device, string? Url, string Format);
