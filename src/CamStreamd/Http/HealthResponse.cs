namespace CamStreamd.Http;

/// <summary><c>GET /api/health</c>: 200 with <c>ok</c>, or 503 with <c>failed</c> when any stream has failed.</summary>
/// <param name="Status"><c>ok</c> or <c>failed</c>.</param>
/// <param name="Version">The daemon's version.</param>
/// <param name="UptimeSeconds">Seconds since the daemon started.</param>
/// <param name="Streams">Each stream's name and state.</param>
public sealed record HealthResponse(string Status, string Version, double UptimeSeconds, IReadOnlyList<HealthEntry> Streams);
