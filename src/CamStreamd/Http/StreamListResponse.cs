namespace CamStreamd.Http;

/// <summary><c>GET /api/streams</c>.</summary>
/// <param name="Streams">Every stream, in the order added.</param>
public sealed record StreamListResponse(IReadOnlyList<StreamInfo> Streams);
