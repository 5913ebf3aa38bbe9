namespace CamStreamd.Http;

/// <summary><c>POST /api/config/streams</c>: every stream added, all at once.</summary>
/// <param name="Streams">One change per stream, in the order of the request.</param>
/// <param name="Persisted">Always false: the change is not kept across restarts.</param>
/// <param name="Note">Says so in words.</param>
public sealed record BatchChangeResponse(IReadOnlyList<ChangeResponse> Streams, bool Persisted, string Note);
